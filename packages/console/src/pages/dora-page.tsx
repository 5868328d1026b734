import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson } from '../api';
import { Timeline, WeeklyChart } from '../charts';
import { formatDate, formatMinutes } from '../format';
import { LoadedView } from '../loaded-view';
import { useApi } from '../use-api';
import { ExplainPanel } from './explain-panel';

interface MetricResult {
  value: number | null;
  unit: string;
  band: { level: string; label: string } | null;
  noData: string | null;
  name?: string;
}

export interface DoraAnswer {
  report: {
    window: { from: string; to: string };
    bands: string;
    metrics: Record<'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'recoveryTime', MetricResult>;
  } | null;
  error: string | null;
  /** All of the project's merged PRs; `pullRequests` holds the first of them. */
  pullRequestCount: number;
  pullRequests: Array<{
    id: string;
    title: string;
    codingMinutes: number | null;
    pickupMinutes: number | null;
    reviewMinutes: number | null;
    deployMinutes: number | null;
    cycleMinutes: number | null;
    mergedAt: string | null;
    deployedAt: string | null;
  }>;
  deployments: Array<{ id: string; name: string; result: string; environment: string; finishedAt: string | null }>;
  incidents: Array<{ id: string; title: string; status: string; createdAt: string | null; resolvedAt: string | null }>;
  weeks: Array<{ week: string; deployments: number; medianCycleMinutes: number | null; incidents: number }>;
}

const TITLES = {
  deploymentFrequency: 'Deployment frequency',
  leadTime: 'Lead time for changes',
  changeFailureRate: 'Change failure rate',
  recoveryTime: 'Recovery time',
} as const;

export function DoraPage({ project }: { project: string | null }) {
  const projects = useApi<{ projects: Array<{ name: string; description: string; metrics: string[] }> }>(
    'api/projects',
  );
  return (
    <>
      <h1>DORA{project ? ` · ${project}` : ''}</h1>
      <LoadedView
        loaded={projects}
        what="projects"
        render={(value) => (
          <nav aria-label="Projects">
            <ul class="inline">
              {value.projects.map((entry) => (
                <li key={entry.name}>
                  <a
                    href={`#/dora/${encodeURIComponent(entry.name)}`}
                    aria-current={entry.name === project ? 'page' : undefined}
                  >
                    {entry.name}
                  </a>
                </li>
              ))}
            </ul>
            {value.projects.length === 0 && <p>lake.yaml has no projects.</p>}
          </nav>
        )}
      />
      {project && <ProjectDora key={project} project={project} />}
    </>
  );
}

function ProjectDora({ project }: { project: string }) {
  const answer = useApi<DoraAnswer>(`api/dora/${encodeURIComponent(project)}`);
  return (
    <LoadedView
      loaded={answer}
      what={`the DORA figures of ${project}`}
      render={(value) => <DoraFigures project={project} answer={value} />}
    />
  );
}

function DoraFigures({ project, answer }: { project: string; answer: DoraAnswer }) {
  const trends = useMemo(
    () => ({
      deployments: {
        label: 'deployments',
        weeks: answer.weeks.map((week) => week.week),
        values: answer.weeks.map((week) => week.deployments),
        color: '#1a5fb4',
        bars: true,
      },
      cycle: {
        label: 'median cycle time',
        weeks: answer.weeks.map((week) => week.week),
        values: answer.weeks.map((week) =>
          week.medianCycleMinutes === null ? null : Math.round(week.medianCycleMinutes / 60),
        ),
        color: '#26a269',
      },
    }),
    [answer],
  );
  // The charts (children) are drawn by now; the next frame shows them. `pnpm bench` reads this mark.
  useEffect(() => {
    requestAnimationFrame(() => performance.mark('lake-dora-rendered'));
  }, [answer]);
  return (
    <div data-dora-project={project}>
      <section aria-labelledby="metrics-heading">
        <h2 id="metrics-heading">
          The four metrics
          {answer.report
            ? ` (${answer.report.window.from} to ${answer.report.window.to}, ${answer.report.bands} bands)`
            : ''}
        </h2>
        {answer.error && <p class="failure">{answer.error}</p>}
        {answer.report && (
          <ul class="cards">
            {(Object.keys(TITLES) as Array<keyof typeof TITLES>).map((key) => (
              <MetricCard
                key={key}
                name={key}
                title={answer.report!.metrics[key].name ?? TITLES[key]}
                metric={answer.report!.metrics[key]}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="trends-heading">
        <h2 id="trends-heading">Weekly trends</h2>
        <div class="charts">
          <WeeklyChart title="Deployments per week" series={trends.deployments} unit="deployments" />
          <WeeklyChart title="Median cycle time of PRs deployed, per week" series={trends.cycle} unit="hours" />
        </div>
      </section>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Deployments and incidents</h2>
        <Timeline
          deployments={answer.deployments
            .filter((deployment) => deployment.finishedAt)
            .map((deployment) => ({
              at: deployment.finishedAt!,
              label: `${deployment.name} ${deployment.result} ${deployment.environment}`,
            }))}
          incidents={answer.incidents
            .filter((incident) => incident.createdAt)
            .map((incident) => ({ at: incident.createdAt!, label: `${incident.title} (${incident.status})` }))}
        />
        <p data-figure="deployments">{answer.deployments.length} deployments</p>
        <p data-figure="incidents">{answer.incidents.length} incidents</p>
      </section>
      <PullRequests project={project} first={answer.pullRequests} total={answer.pullRequestCount} />
    </div>
  );
}

function MetricCard({ name, title, metric }: { name: string; title: string; metric: MetricResult }) {
  const value =
    metric.value === null
      ? 'no data'
      : metric.unit === 'minutes'
        ? formatMinutes(metric.value)
        : metric.unit === 'ratio'
          ? `${(metric.value * 100).toFixed(1)} %`
          : `${metric.value} ${metric.unit}`;
  return (
    <li class={`card band-${metric.band?.level ?? 'none'}`} data-metric={name} data-value={metric.value ?? ''}>
      <h3>{title}</h3>
      <p class="figure">{value}</p>
      <p>{metric.band ? metric.band.label : (metric.noData ?? '')}</p>
    </li>
  );
}

type PullRequestRow = DoraAnswer['pullRequests'][number];

function PullRequests({ project, first, total }: { project: string; first: PullRequestRow[]; total: number }) {
  const [pullRequests, setPullRequests] = useState(first);
  const [loading, setLoading] = useState(false);
  const [explained, setExplained] = useState<string | null>(null);
  const more = () => {
    setLoading(true);
    getJson<{ pullRequests: PullRequestRow[] }>(
      `api/dora/${encodeURIComponent(project)}/pull-requests?offset=${pullRequests.length}&limit=200`,
    )
      .then((page) => setPullRequests([...pullRequests, ...page.pullRequests]))
      .finally(() => setLoading(false));
  };
  return (
    <section aria-labelledby="prs-heading">
      <h2 id="prs-heading">Pull requests behind the lead time</h2>
      <p data-figure="pull-requests">{total} merged pull requests</p>
      <table data-table="pull-requests">
        <caption class="visually-hidden">Merged pull requests with their time spans</caption>
        <thead>
          <tr>
            <th scope="col">Pull request</th>
            <th scope="col">Merged</th>
            <th scope="col">Coding</th>
            <th scope="col">Pickup</th>
            <th scope="col">Review</th>
            <th scope="col">Deploy</th>
            <th scope="col">Cycle</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {pullRequests.map((pull) => (
            <tr key={pull.id} data-pull-request={pull.id}>
              <th scope="row">{pull.title || pull.id}</th>
              <td>{formatDate(pull.mergedAt)}</td>
              <td>{formatMinutes(pull.codingMinutes)}</td>
              <td>{formatMinutes(pull.pickupMinutes)}</td>
              <td>{formatMinutes(pull.reviewMinutes)}</td>
              <td>{formatMinutes(pull.deployMinutes)}</td>
              <td data-field="cycle">{formatMinutes(pull.cycleMinutes)}</td>
              <td>
                <button
                  type="button"
                  onClick={() => setExplained(pull.id)}
                  aria-label={`Explain ${pull.title || pull.id}`}
                >
                  Explain
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pullRequests.length < total && (
        <button type="button" onClick={more} disabled={loading}>
          Show more ({total - pullRequests.length} left)
        </button>
      )}
      {explained && <ExplainPanel project={project} pullRequest={explained} onClose={() => setExplained(null)} />}
    </section>
  );
}
