import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';

import {
  funnelSteps,
  funnelSummary,
  timelineTotals,
  type FunnelCounts,
  type TimelinePoint,
} from '@/features/campaigns/utils/stats';

// Only what these two charts draw, so the rest of Chart.js stays out of the bundle.
ChartJS.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

const BRAND = '#0f766e';
const SERIES = [
  { key: 'sent', label: 'Sent', color: '#5c6b78' },
  { key: 'delivered', label: 'Delivered', color: '#175cd3' },
  { key: 'read', label: 'Read', color: BRAND },
  { key: 'replied', label: 'Replied', color: '#6941c6' },
  { key: 'failed', label: 'Failed', color: '#b42318' },
] as const;

/** Audience → sent → delivered → read → replied, as bars, with a text equivalent. */
export function FunnelChart({ stats }: { stats: FunnelCounts }) {
  const steps = funnelSteps(stats);
  const summary = funnelSummary(stats);
  return (
    <figure className="chart chart-funnel" data-testid="campaign-funnel-chart">
      <div className="chart-canvas">
        <Bar
          role="img"
          aria-label={summary}
          data={{
            labels: steps.map((s) => s.label),
            datasets: [{ label: 'Recipients', data: steps.map((s) => s.count), backgroundColor: BRAND, borderRadius: 4 }],
          }}
          options={{
            indexAxis: 'y',
            maintainAspectRatio: false,
            animation: false,
            plugins: { legend: { display: false } },
            scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
          }}
          fallbackContent={<p>{summary}</p>}
        />
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
    </figure>
  );
}

function minuteLabel(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Per minute: sent, delivered, read, replied and failed, with the same numbers as a hidden table. */
export function TimelineChart({ points }: { points: readonly TimelinePoint[] }) {
  const totals = timelineTotals(points);
  const summary =
    points.length === 0
      ? 'Timeline: nothing has happened yet.'
      : `Timeline over ${points.length} minute${points.length === 1 ? '' : 's'}: ${totals.sent} sent, ${totals.delivered} delivered, ${totals.read} read, ${totals.replied} replied, ${totals.failed} failed.`;
  return (
    <figure className="chart chart-timeline" data-testid="campaign-timeline-chart" data-points={points.length}>
      <div className="chart-canvas">
        <Line
          role="img"
          aria-label={summary}
          data={{
            labels: points.map((p) => minuteLabel(p.minute)),
            datasets: SERIES.map((s) => ({
              label: s.label,
              data: points.map((p) => p[s.key]),
              borderColor: s.color,
              backgroundColor: s.color,
              tension: 0.25,
              pointRadius: points.length > 30 ? 0 : 2,
            })),
          }}
          options={{
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          }}
          fallbackContent={<p>{summary}</p>}
        />
      </div>
      <figcaption className="visually-hidden">{summary}</figcaption>
      <table className="visually-hidden" data-testid="campaign-timeline-table">
        <caption>Messages per minute</caption>
        <thead>
          <tr>
            <th scope="col">Minute</th>
            {SERIES.map((s) => (
              <th scope="col" key={s.key}>
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.minute}>
              <th scope="row">{minuteLabel(p.minute)}</th>
              {SERIES.map((s) => (
                <td key={s.key}>{p[s.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
