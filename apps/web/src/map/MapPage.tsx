import type { OrganicStatus, Page, PlotDto, PlotFeatureProperties, ZoneDto } from '@huuco/domain';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { apiGet } from '../api';
import { useI18n } from '../i18n';
import { PlotPanel, ZonePanel } from './Panels';
import { STATUS_COLOURS } from './status-colours';

/** Below this zoom the map shows zones only; a district's plots would be too many to draw. */
const PLOT_MIN_ZOOM = 15;
const TU_KY: L.LatLngExpression = [20.757, 106.445];

type Selection = { kind: 'plot'; id: string } | { kind: 'zone'; zone: ZoneDto } | null;
type PlotCollection = GeoJSON.FeatureCollection<GeoJSON.Polygon, PlotFeatureProperties> & {
  truncated: boolean;
};

export function MapPage() {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [note, setNote] = useState<string>('');

  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, {
      preferCanvas: true, // canvas draws thousands of plots where SVG stalls
      center: TU_KY,
      zoom: 16,
      minZoom: 5,
      maxZoom: 19,
    });
    L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 19,
      attribution: '&copy; OpenStreetMap',
    }).addTo(map);
    const zoneLayer = L.geoJSON(undefined, {
      style: () => ({ color: '#1b5e20', weight: 2, dashArray: '6 4', fillOpacity: 0.04 }),
    }).addTo(map);
    const plotLayer = L.geoJSON(undefined, {
      style: (feature) => {
        const status = (feature?.properties as PlotFeatureProperties).status as OrganicStatus;
        return {
          color: '#263238',
          weight: 0.6,
          fillColor: STATUS_COLOURS[status],
          fillOpacity: 0.7,
        };
      },
      onEachFeature: (feature, layer) => {
        layer.on('click', (event) => {
          L.DomEvent.stopPropagation(event);
          setSelection({ kind: 'plot', id: String(feature.id) });
        });
      },
    }).addTo(map);

    let inFlight: AbortController | null = null;
    const loadPlots = async () => {
      inFlight?.abort();
      if (map.getZoom() < PLOT_MIN_ZOOM) {
        plotLayer.clearLayers();
        setNote('map.zoomIn');
        return;
      }
      const controller = new AbortController();
      inFlight = controller;
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map((n) => n.toFixed(6))
        .join(',');
      try {
        const collection = await apiGet<PlotCollection>(`/plots?bbox=${bbox}`, controller.signal);
        plotLayer.clearLayers();
        plotLayer.addData(collection);
        setNote(
          collection.truncated
            ? `truncated:${collection.features.length}`
            : `shown:${collection.features.length}`,
        );
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setNote('map.error');
      }
    };

    apiGet<Page<ZoneDto>>('/zones?pageSize=200')
      .then((page) => {
        for (const zone of page.items) {
          const layer = L.geoJSON(zone.geometry as GeoJSON.Geometry, {
            style: () => ({ color: '#1b5e20', weight: 2, dashArray: '6 4', fillOpacity: 0.04 }),
          });
          layer.bindTooltip(zone.name, {
            permanent: true,
            direction: 'center',
            className: 'zone-label',
          });
          layer.on('click', () => setSelection({ kind: 'zone', zone }));
          zoneLayer.addLayer(layer);
        }
      })
      .catch(() => setNote('map.error'));

    map.on('moveend', () => void loadPlots());
    void loadPlots();
    (window as unknown as { huucoMap?: L.Map }).huucoMap = map;
    return () => {
      inFlight?.abort();
      map.remove();
    };
  }, []);

  const noteText = note.startsWith('shown:')
    ? t('map.plotsShown', { n: note.slice(6) })
    : note.startsWith('truncated:')
      ? t('map.truncated', { n: note.slice(10) })
      : note
        ? t(note)
        : t('map.loading');

  return (
    <div className="map-page">
      <div ref={container} className="map" data-testid="map" />
      <div className="map-note" role="status">
        {noteText}
      </div>
      <Legend />
      {selection?.kind === 'plot' && (
        <PlotPanel id={selection.id} onClose={() => setSelection(null)} />
      )}
      {selection?.kind === 'zone' && (
        <ZonePanel zone={selection.zone} onClose={() => setSelection(null)} />
      )}
    </div>
  );
}

function Legend() {
  const { t } = useI18n();
  return (
    <div className="legend" aria-label={t('map.legend')}>
      {(Object.keys(STATUS_COLOURS) as OrganicStatus[]).map((status) => (
        <div key={status}>
          <span className="swatch" style={{ background: STATUS_COLOURS[status] }} />{' '}
          {t(`status.${status}`)}
        </div>
      ))}
    </div>
  );
}

export type { PlotDto };
