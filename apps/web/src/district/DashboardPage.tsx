import { can } from '@huuco/domain';
import {
  Bar,
  ComposedChart,
  LabelList,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Link } from 'react-router';
import { Loaded, useApi } from '../app/query';
import { useAuth } from '../auth';
import { OcopForm } from './OcopForm';
import { PagedTable } from '../PagedTable';
import { TargetForm } from './TargetForm';
import '../map/leaflet-global';
import L from 'leaflet';
import type { DashboardDto, OcopProductDto, TargetDto, ZoneDto } from '@huuco/domain';
import { useEffect, useRef, useState } from 'react';
import { apiGet } from '../api';
import { formatDate, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { seasonText } from '../trace/trace-errors';
import { ExportButtons } from './ExportButtons';
import { textLabel } from '../map/text-label';

const THIS_YEAR = new Date().getFullYear();

/** Where each indicator's records are kept: every number links to them. */
const RECORDS: Record<string, string> = {
  organic_ha: '/',
  households: '/households',
  ocop_3_stars: '/dashboard',
  tonnes_harvested: '/harvests',
  contract_share: '/contracts',
};

/** The district's report: this year's targets with live progress, charts over the years, a map by progress. */
export function DashboardPage() {
  const { t, locale } = useI18n();
  const [year, setYear] = useState(THIS_YEAR);
  const { user } = useAuth();
  // Each year's answer is cached under its own address: one arriving late is never shown for another.
  const dashboard = useApi<DashboardDto>(`/dashboard?year=${year}`);
  const data = dashboard.data ?? null;

  const value = (target: TargetDto, n: number) =>
    target.indicator === 'contract_share'
      ? `${formatNumber(n * 100, locale, 1)} %`
      : formatNumber(n, locale, 2);

  return (
    <div className="registry dashboard">
      <div className="dashboard-head">
        <h2>{t('dashboard.title')}</h2>
        <label>
          {t('dashboard.year')}{' '}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {Array.from({ length: THIS_YEAR + 1 - 2020 }, (_, i) => THIS_YEAR + 1 - i).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <ExportButtons name="targets" query={`?year=${year}`} />
      </div>
      {user && can(user.role, 'targets.write') && <TargetForm year={year} onYear={setYear} />}
      {!data && <Loaded query={dashboard}>{() => null}</Loaded>}
      {data && (
        <>
          <div className="cards">
            {data.targets.length === 0 && <p>{t('dashboard.noTargets', { year })}</p>}
            {data.targets.map((target) => (
              <Link
                key={target.id}
                className={`card progress-${target.progress}`}
                to={RECORDS[target.indicator]!}
              >
                <span className="card-label">{t(`indicator.${target.indicator}`)}</span>
                <strong className="card-value">{value(target, target.actual)}</strong>
                <span>
                  {t('dashboard.ofTarget', { target: value(target, target.targetValue) })} ·{' '}
                  {formatNumber(target.ratio * 100, locale, 0)} %
                </span>
                <span className="badge">{t(`progress.${target.progress}`)}</span>
              </Link>
            ))}
          </div>
          <div className="charts">
            <section>
              <h3>{t('dashboard.areaByYear')}</h3>
              <Bars
                bars={data.organicAreaByYear.map((a) => ({
                  label: String(a.year),
                  value: a.ha,
                  target: a.targetHa,
                }))}
                unit="ha"
              />
            </section>
            <section>
              <h3>{t('dashboard.tonnesBySeason')}</h3>
              <Link to="/harvests">
                <Bars
                  bars={data.tonnesBySeason.map((s) => ({
                    label: seasonText(s.seasonLabel),
                    value: s.tonnes,
                    target: null,
                  }))}
                  unit="t"
                />
              </Link>
            </section>
            <section>
              <h3>{t('dashboard.ocopByStars')}</h3>
              <Bars
                bars={data.ocopByStars.map((o) => ({
                  label: '★'.repeat(o.stars),
                  value: o.valid,
                  target: null,
                  extra: o.expired,
                }))}
                unit=""
              />
              <p className="hint">{t('dashboard.ocopLegend')}</p>
            </section>
            <section>
              <h3>{t('dashboard.summary')}</h3>
              <p>
                <Link to="/households">
                  <strong>{formatNumber(data.households, locale, 0)}</strong>{' '}
                  {t('dashboard.households')}
                </Link>
              </p>
              <p>
                <Link to="/contracts">
                  <strong>
                    {data.contractShare === null
                      ? '—'
                      : `${formatNumber(data.contractShare * 100, locale, 1)} %`}
                  </strong>{' '}
                  {t('dashboard.contractShare')}
                </Link>
              </p>
            </section>
          </div>
          <section>
            <h3>{t('dashboard.zones')}</h3>
            <ZoneChoropleth zones={data.zones} />
          </section>
        </>
      )}
      <section>
        {user && can(user.role, 'ocop.write') && <OcopForm />}
        <PagedTable<OcopProductDto>
          name="ocop"
          title={t('dashboard.ocop')}
          path="/ocop-products"
          search
          sorts={[
            { value: 'certifiedOn', label: t('ocop.certifiedOn') },
            { value: 'name', label: t('registry.name') },
            { value: 'score', label: t('ocop.score') },
          ]}
          defaultOrder="desc"
          columns={[
            { header: t('registry.name'), cell: (o) => o.name },
            { header: t('contract.cooperative'), optional: true, cell: (o) => o.cooperativeName },
            {
              header: t('ocop.stars'),
              cell: (o) => <span title={String(o.score)}>{'★'.repeat(o.stars)}</span>,
            },
            { header: t('ocop.level'), optional: true, cell: (o) => t(`ocop.level.${o.level}`) },
            {
              header: t('ocop.validTo'),
              cell: (o) => (
                <span className={o.valid ? '' : 'expired'}>
                  {formatDate(o.validTo)} {o.valid ? '' : `(${t('ocop.expired')})`}
                </span>
              ),
            },
          ]}
        />
      </section>
    </div>
  );
}

/** A bar per value (and its expired share stacked above), a target, where there is one, as a line. */
function Bars({
  bars,
  unit,
}: {
  bars: { label: string; value: number; target: number | null; extra?: number }[];
  unit: string;
}) {
  const { locale } = useI18n();
  const number = (v: unknown) =>
    typeof v === 'number' ? `${formatNumber(v, locale, 1)}${unit && ` ${unit}`}` : '';
  const hasTarget = bars.some((b) => b.target !== null);
  return (
    <div className="bars">
      <ResponsiveContainer width="100%" height={170}>
        <ComposedChart data={bars} margin={{ top: 18, right: 8, bottom: 0, left: 8 }}>
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
          <YAxis hide domain={[0, 'auto']} />
          <Tooltip formatter={(v) => number(v)} />
          <Bar dataKey="value" stackId="bar" fill="#7cb342" isAnimationActive={false}>
            {!bars.some((b) => b.extra) && (
              <LabelList dataKey="value" position="top" formatter={number} fontSize={10} />
            )}
          </Bar>
          {bars.some((b) => b.extra) && (
            <Bar dataKey="extra" stackId="bar" fill="#cfd8dc" isAnimationActive={false} />
          )}
          {hasTarget && (
            <Line
              dataKey="target"
              type="step"
              stroke="#c62828"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

const progressColour = (ratio: number | null) =>
  ratio === null
    ? '#b0bec5'
    : ratio >= 1
      ? '#2e7d32'
      : ratio >= 0.75
        ? '#9ccc65'
        : ratio >= 0.5
          ? '#fdd835'
          : '#ef6c00';

/** Zones coloured by certified area against their target area. */
function ZoneChoropleth({ zones }: { zones: DashboardDto['zones'] }) {
  const { t, locale } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    // A district's zones are a few dozen shapes: SVG keeps each one a hoverable element.
    const map = L.map(container.current, { attributionControl: false }).setView(
      [20.815, 106.405],
      12,
    );
    const group = L.featureGroup().addTo(map);
    void Promise.all(zones.map((z) => apiGet<ZoneDto>(`/zones/${z.id}`))).then((full) => {
      full.forEach((zone, i) => {
        const stats = zones[i]!;
        L.geoJSON(zone.geometry as GeoJSON.Geometry, {
          style: {
            color: '#263238',
            weight: 1,
            fillColor: progressColour(stats.ratio),
            fillOpacity: 0.7,
          },
        })
          .bindTooltip(
            textLabel(
              `${stats.name}: ${formatNumber(stats.certifiedHa, locale, 1)} / ${stats.targetHa === null ? '—' : formatNumber(stats.targetHa, locale, 1)} ha`,
            ),
          )
          .addTo(group);
      });
      map.invalidateSize();
      const bounds = group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
      container.current?.setAttribute('data-zones', String(full.length));
    });
    return () => {
      map.remove();
    };
  }, [zones, locale]);
  return (
    <div className="choropleth-wrap">
      <div ref={container} className="contract-map" role="img" aria-label={t('dashboard.zones')} />
      <ul className="choropleth-legend">
        {zones.map((z) => (
          <li key={z.id}>
            <span className="swatch" style={{ background: progressColour(z.ratio) }} />
            <Link to={`/zones/${z.id}`}>{z.name}</Link>: {formatNumber(z.certifiedHa, locale, 1)} ha
            / {z.targetHa === null ? '—' : `${formatNumber(z.targetHa, locale, 1)} ha`}
            {z.ratio !== null && ` (${formatNumber(z.ratio * 100, locale, 0)} %)`}
          </li>
        ))}
      </ul>
    </div>
  );
}
