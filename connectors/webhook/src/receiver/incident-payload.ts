import { z } from '@lake/sdk';
import { callerId, dateTime, longText, shortText, url } from './payload-fields.js';

export const INCIDENT_STATUSES = ['TODO', 'IN_PROGRESS', 'DONE'] as const;

/**
 * An incident (DevLake writes them as issues of type INCIDENT on the webhook's board). Its status
 * defaults to DONE when it has a `resolvedDate` and TODO otherwise.
 */
export const incidentPayload = z
  .strictObject({
    id: callerId,
    title: longText.min(1, 'must not be empty'),
    url: url.optional(),
    description: longText.optional(),
    status: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.enum(INCIDENT_STATUSES, { message: `must be one of ${INCIDENT_STATUSES.join(', ')}` }))
      .optional(),
    originalStatus: shortText.optional(),
    createdDate: dateTime,
    updatedDate: dateTime.optional(),
    resolvedDate: dateTime.optional(),
    priority: shortText.optional(),
    severity: shortText.optional(),
    urgency: shortText.optional(),
    component: longText.optional(),
    creatorName: shortText.optional(),
    assigneeName: shortText.optional(),
  })
  .superRefine((incident, context) => {
    if (incident.resolvedDate && incident.resolvedDate < incident.createdDate)
      context.addIssue({ code: 'custom', path: ['resolvedDate'], message: 'must not be before createdDate' });
    if (incident.status === 'DONE' && incident.resolvedDate === undefined)
      context.addIssue({ code: 'custom', path: ['resolvedDate'], message: 'is required when status is DONE' });
    if (incident.status !== undefined && incident.status !== 'DONE' && incident.resolvedDate !== undefined)
      context.addIssue({ code: 'custom', path: ['status'], message: 'must be DONE when resolvedDate is given' });
  });

export type IncidentPayload = z.output<typeof incidentPayload>;

/** `POST …/incidents/<id>/close`: the body may give when it was resolved (default: when the request arrived). */
export const closePayload = z.strictObject({ resolvedDate: dateTime.optional() });
