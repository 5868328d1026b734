import { formatDate } from '../format';
import { LoadedView } from '../loaded-view';
import { useApi } from '../use-api';

type QueueStatus =
  | { configured: false; message: string }
  | {
      configured: true;
      jobs: Array<{
        id: string;
        name: string;
        state: string;
        createdAt: string;
        startedAt: string | null;
        error: string | null;
      }>;
      workers: Array<{ id: string; host: string; lastSeenAt: string; runningJobs: number }>;
    };

/** Queued, running and failed jobs and the workers of the scale-out queue, when one is configured. */
export function QueuePanel() {
  const queue = useApi<QueueStatus>('api/queue');
  return (
    <section aria-labelledby="queue-heading">
      <h2 id="queue-heading">Jobs and workers</h2>
      <LoadedView
        loaded={queue}
        what="the queue"
        render={(status) =>
          !status.configured ? (
            <p data-queue="none">{status.message}</p>
          ) : (
            <>
              <table data-queue="jobs">
                <caption>Jobs</caption>
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">State</th>
                    <th scope="col">Created</th>
                    <th scope="col">Started</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {status.jobs.map((job) => (
                    <tr key={job.id}>
                      <th scope="row">{job.name}</th>
                      <td>{job.state}</td>
                      <td>{formatDate(job.createdAt)}</td>
                      <td>{formatDate(job.startedAt)}</td>
                      <td>{job.error ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table data-queue="workers">
                <caption>Workers</caption>
                <thead>
                  <tr>
                    <th scope="col">Worker</th>
                    <th scope="col">Host</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Running jobs</th>
                  </tr>
                </thead>
                <tbody>
                  {status.workers.map((worker) => (
                    <tr key={worker.id}>
                      <th scope="row">{worker.id}</th>
                      <td>{worker.host}</td>
                      <td>{formatDate(worker.lastSeenAt)}</td>
                      <td>{worker.runningJobs}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      />
    </section>
  );
}
