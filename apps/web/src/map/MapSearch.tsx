import { can, type HouseholdDto, type Page, type PlotDto } from '@huuco/domain';
import { useState, type FormEvent } from 'react';
import { apiGet } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

interface Hit {
  key: string;
  label: string;
  plotId: string | null;
  householdId: string | null;
}

/** Finds a plot by code or a household by name, and hands the plot to fly to. */
export function MapSearch({ onFound }: { onFound: (plot: PlotDto) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    const term = q.trim();
    if (!term) return;
    const plots = await apiGet<Page<PlotDto>>(`/plots?q=${encodeURIComponent(term)}&pageSize=8`);
    const households =
      user && can(user.role, 'households.read')
        ? await apiGet<Page<HouseholdDto>>(`/households?q=${encodeURIComponent(term)}&pageSize=8`)
        : { items: [] as HouseholdDto[] };
    setHits([
      ...plots.items.map((p) => ({
        key: p.id,
        label: `${t('panel.plot')} ${p.code}`,
        plotId: p.id,
        householdId: null,
      })),
      ...households.items.map((h) => ({
        key: h.id,
        label: `${h.headName} · ${h.village ?? ''}`,
        plotId: null,
        householdId: h.id,
      })),
    ]);
  };

  const choose = async (hit: Hit) => {
    const plot = hit.plotId
      ? await apiGet<PlotDto>(`/plots/${hit.plotId}`)
      : (await apiGet<Page<PlotDto>>(`/plots?householdId=${hit.householdId}&pageSize=1`)).items[0];
    setHits(null);
    if (plot) onFound(plot);
  };

  return (
    <div className="map-search">
      <form onSubmit={(e) => void search(e)} role="search">
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('search.placeholder')}
          aria-label={t('search.placeholder')}
        />
      </form>
      {hits && (
        <ul className="hits">
          {hits.length === 0 && <li>{t('search.none')}</li>}
          {hits.map((hit) => (
            <li key={hit.key}>
              <button type="button" className="link" onClick={() => void choose(hit)}>
                {hit.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
