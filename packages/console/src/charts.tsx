import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface WeeklySeries {
  label: string;
  /** Week starts, `YYYY-MM-DD`. */
  weeks: string[];
  values: Array<number | null>;
  color: string;
  bars?: boolean;
}

/** A weekly trend as a uPlot chart, with a text summary for readers who cannot see it. */
export function WeeklyChart(props: { title: string; series: WeeklySeries; unit: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current || props.series.weeks.length === 0) return;
    const xs = props.series.weeks.map((week) => Date.parse(`${week}T00:00:00Z`) / 1000);
    const chart = new uPlot(
      {
        width: 520,
        height: 200,
        legend: { show: false },
        scales: { x: { time: true } },
        series: [
          {},
          {
            label: props.series.label,
            stroke: props.series.color,
            fill: props.series.bars ? `${props.series.color}99` : undefined,
            width: 2,
            spanGaps: false,
            ...(props.series.bars ? { paths: uPlot.paths.bars?.({ size: [0.7, 40] }) } : {}),
          },
        ],
        axes: [{}, { label: props.unit }],
      },
      [xs, props.series.values],
      element.current,
    );
    return () => chart.destroy();
  }, [props.series, props.unit]);
  const known = props.series.values.filter((value): value is number => value !== null);
  const summary =
    known.length === 0
      ? 'no data'
      : `${props.series.weeks.length} weeks from ${props.series.weeks[0]} to ${props.series.weeks.at(-1)}; highest ${Math.max(...known)} ${props.unit}`;
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={element} role="img" aria-label={`${props.title}: ${summary}`} />
    </figure>
  );
}

export interface TimelineMark {
  at: string;
  label: string;
}

/** Deployments and incidents on one time axis: an SVG, each mark titled. */
export function Timeline(props: { deployments: TimelineMark[]; incidents: TimelineMark[] }) {
  const all = [...props.deployments, ...props.incidents].map((mark) => Date.parse(mark.at));
  if (all.length === 0) return <p>No deployments or incidents.</p>;
  const start = Math.min(...all);
  const end = Math.max(...all);
  const width = 720;
  const x = (at: string) => 40 + ((Date.parse(at) - start) / Math.max(1, end - start)) * (width - 60);
  const marks = (list: TimelineMark[], y: number, color: string, kind: string) =>
    list.slice(0, 2000).map((mark, index) => (
      <line
        key={`${kind}${index}`}
        x1={x(mark.at)}
        x2={x(mark.at)}
        y1={y - 10}
        y2={y + 10}
        stroke={color}
        stroke-width={2}
      >
        <title>{mark.label}</title>
      </line>
    ));
  return (
    <svg
      viewBox={`0 0 ${width} 90`}
      role="img"
      aria-label={`Timeline from ${new Date(start).toISOString().slice(0, 10)} to ${new Date(end).toISOString().slice(0, 10)}: ${props.deployments.length} deployments, ${props.incidents.length} incidents`}
      class="timeline"
    >
      <text x={0} y={29} font-size={11}>
        deploys
      </text>
      <text x={0} y={69} font-size={11}>
        incidents
      </text>
      {marks(props.deployments, 25, '#1a5fb4', 'd')}
      {marks(props.incidents, 65, '#c01c28', 'i')}
    </svg>
  );
}
