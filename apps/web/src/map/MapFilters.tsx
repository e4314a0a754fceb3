import { useApi } from '../app/query';
import {
  FarmingSystem,
  OrganicStatus,
  type CooperativeDto,
  type Page,
  type ZoneDto,
} from '@huuco/domain';
import { useState } from 'react';
import { useI18n } from '../i18n';

export interface PlotFilters {
  communeId: string;
  zoneId: string;
  cooperativeId: string;
  farmingSystem: string;
  status: string;
}

export const NO_FILTERS: PlotFilters = {
  communeId: '',
  zoneId: '',
  cooperativeId: '',
  farmingSystem: '',
  status: '',
};

/** The query string for the server-side filters; status is derived, so it is applied on the map. */
export function filterQuery(filters: PlotFilters): string {
  return (['communeId', 'zoneId', 'cooperativeId', 'farmingSystem'] as const)
    .filter((key) => filters[key])
    .map((key) => `&${key}=${encodeURIComponent(filters[key])}`)
    .join('');
}

export function MapFilters({
  zones,
  filters,
  onChange,
}: {
  zones: ZoneDto[];
  filters: PlotFilters;
  onChange: (filters: PlotFilters) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const cooperativeList = useApi<Page<CooperativeDto>>('/cooperatives?pageSize=500&sort=name');
  const cooperatives = cooperativeList.data?.items ?? [];
  const communes = [...new Map(cooperatives.map((c) => [c.commune.id, c.commune])).values()];
  const active = Object.values(filters).filter(Boolean).length;
  const select = (key: keyof PlotFilters, label: string, options: [string, string][]) => (
    <label>
      {label}
      <select
        value={filters[key]}
        onChange={(e) => onChange({ ...filters, [key]: e.target.value })}
      >
        <option value="">{t('filters.all')}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="map-filters">
      <button
        type="button"
        className="filters-toggle"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
      >
        {t('filters.title')}
        {active > 0 && ` (${active})`}
      </button>
      {open && (
        <div className="filters-body">
          {select(
            'communeId',
            t('registry.commune'),
            communes.map((c) => [c.id, c.name]),
          )}
          {select(
            'zoneId',
            t('panel.zone'),
            zones.map((z) => [z.id, z.name]),
          )}
          {select(
            'cooperativeId',
            t('registry.cooperatives'),
            cooperatives.map((c) => [c.id, c.name]),
          )}
          {select(
            'status',
            t('panel.status'),
            Object.values(OrganicStatus).map((s) => [s, t(`status.${s}`)]),
          )}
          {select(
            'farmingSystem',
            t('panel.farmingSystem'),
            FarmingSystem.map((f) => [f, t(`farming.${f}`)]),
          )}
          <button type="button" className="link" onClick={() => onChange(NO_FILTERS)}>
            {t('filters.clear')}
          </button>
        </div>
      )}
    </div>
  );
}
