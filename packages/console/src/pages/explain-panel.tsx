import { useEffect, useRef } from 'preact/hooks';
import { formatMinutes } from '../format';
import { LoadedView } from '../loaded-view';
import { useApi } from '../use-api';

interface Span {
  minutes: number | null;
  from: string | null;
  to: string | null;
  reason: string | null;
}

interface Explanation {
  report: { spans: Record<string, Span>; deploymentRule: string | null; inProjectPrMetrics: boolean } | null;
  error: string | null;
}

/** `explain`'s answer for one pull request: each span, measured between what, or why it is missing. */
export function ExplainPanel(props: { project: string; pullRequest: string; onClose: () => void }) {
  const answer = useApi<Explanation>(
    `api/dora/${encodeURIComponent(props.project)}/explain?pullRequest=${encodeURIComponent(props.pullRequest)}`,
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.pullRequest]);
  return (
    <section class="explain" aria-labelledby="explain-heading" data-explain={props.pullRequest}>
      <h3 id="explain-heading" tabIndex={-1} ref={heading}>
        Why: {props.pullRequest}
      </h3>
      <LoadedView
        loaded={answer}
        what="the explanation"
        render={(value) =>
          value.report === null ? (
            <p class="failure">{value.error}</p>
          ) : (
            <dl>
              {Object.entries(value.report.spans).map(([name, span]) => (
                <div key={name} data-span={name}>
                  <dt>{name}</dt>
                  <dd>
                    {span.minutes === null
                      ? `missing: ${span.reason}`
                      : `${formatMinutes(span.minutes)}, from ${span.from} to ${span.to}`}
                  </dd>
                </div>
              ))}
              {value.report.deploymentRule && (
                <div>
                  <dt>deployment</dt>
                  <dd>{value.report.deploymentRule}</dd>
                </div>
              )}
            </dl>
          )
        }
      />
      <button type="button" onClick={props.onClose}>
        Close explanation
      </button>
    </section>
  );
}
