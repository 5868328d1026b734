import type { ConnectionContext, TestConnectionResult } from '@lake/sdk';
import type { WebhookTypes } from './settings.js';

/**
 * Without `receiverUrl` there is nothing remote to reach: the token's presence and length were
 * checked by the schema. With it, the running receiver is asked whether it accepts the token for
 * this connection (`GET <receiverUrl>/connections/<id>`).
 */
export async function testWebhookConnection(context: ConnectionContext<WebhookTypes>): Promise<TestConnectionResult> {
  const { connection } = context;
  const base = connection.receiverUrl;
  if (base === undefined)
    return {
      ok: true,
      message: `connection ${connection.id} is ready: run lake webhook serve and post to /connections/${connection.id}/deployments and /connections/${connection.id}/incidents (give receiverUrl to check a running receiver)`,
    };
  const target = `${base.replace(/\/+$/, '')}/connections/${connection.id}`;
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { authorization: `Bearer ${connection.token.reveal()}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return { ok: false, message: `the receiver at ${base} did not answer: ${(error as Error).message}` };
  }
  if (response.status === 200)
    return {
      ok: true,
      message: `the receiver at ${base} accepts this connection's token`,
      details: { receiverUrl: base },
    };
  if (response.status === 401)
    return { ok: false, message: `the receiver at ${base} refuses this connection's token (401)` };
  return { ok: false, message: `the receiver at ${base} answered ${response.status} for ${target}` };
}
