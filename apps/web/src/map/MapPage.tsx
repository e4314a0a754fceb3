import {
  areaInUnits,
  areaM2,
  can,
  type ErrorBody,
  type OrganicStatus,
  type Page,
  type PlotDto,
  type PlotClusterDto,
  type PlotFeatureProperties,
  type ZoneDto,
} from '@huuco/domain';
import './leaflet-global';
import '@geoman-io/leaflet-geoman-free';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
import type { Polygon } from 'geojson';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiGet, OfflineError } from '../api';
import { useAuth } from '../auth';
import { formatNumber } from '../format';
import { lookup, useI18n } from '../i18n';
import { fieldPlot, fieldPlots, fieldZones } from '../field/field-kit';
import { keptPlotsIn, type PlotCollection } from './kept-plots';
import { PlotPanel, ZonePanel } from './Panels';
import { filterQuery, MapFilters, NO_FILTERS, type PlotFilters } from './MapFilters';
import { MapSearch } from './MapSearch';
import { PlotForm } from './PlotForm';
import { STATUS_COLOURS } from './status-colours';
import { textLabel } from './text-label';

/** Below this zoom the map shows zones only; a district's plots would be too many to draw. */
const PLOT_MIN_ZOOM = 15;
const TU_KY: L.LatLngExpression = [20.757, 106.445];

type Selection = { kind: 'plot'; id: string } | { kind: 'zone'; zone: ZoneDto } | null;
const HIGHLIGHT: L.PathOptions = { color: '#d50000', weight: 4 };

/** Leaflet-Geoman has no Vietnamese: the words a cooperative manager meets while drawing. */
const GEOMAN_VI = {
  tooltips: {
    firstVertex: 'Chạm để đặt góc đầu tiên',
    continueLine: 'Chạm để đặt góc tiếp theo',
    finishPoly: 'Chạm góc đầu tiên để khép kín thửa',
  },
  actions: { finish: 'Hoàn tất', cancel: 'Huỷ', removeLastVertex: 'Xoá góc vừa đặt' },
  buttonTitles: { drawPolyButton: 'Vẽ thửa' },
};

export function MapPage() {
  const { t, locale, language } = useI18n();
  const { user } = useAuth();
  const mayDraw = user !== null && can(user.role, 'plots.write');
  const container = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [note, setNote] = useState<string>('');
  const [zones, setZones] = useState<ZoneDto[]>([]);
  const [draft, setDraft] = useState<Polygon | null>(null);
  const [liveArea, setLiveArea] = useState<{ ha: number; sao: number } | null>(null);
  const drawn = useRef<L.Polygon | null>(null);
  const plots = useRef<L.GeoJSON | null>(null);
  const mapRef = useRef<L.Map | null>(null);
  const [filters, setFilters] = useState<PlotFilters>(NO_FILTERS);
  const filtersRef = useRef<PlotFilters>(NO_FILTERS);
  const reload = useRef<() => Promise<void>>(async () => undefined);
  const userId = useRef(user?.id);
  userId.current = user?.id;

  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, {
      preferCanvas: true, // canvas draws thousands of plots where SVG stalls
      center: TU_KY,
      zoom: 16,
      minZoom: 5,
      maxZoom: 19,
    });
    // The basemap comes from configuration; without one, or offline, plots draw on a plain ground.
    apiGet<{ map: { tileUrl: string | null; tileAttribution: string } }>('/health')
      .then(({ map: settings }) => {
        if (settings.tileUrl) {
          L.tileLayer(settings.tileUrl, {
            maxZoom: 19,
            attribution: settings.tileAttribution,
          }).addTo(map);
        }
      })
      .catch(() => undefined);
    const zoneLayer = L.geoJSON(undefined, {
      style: () => ({ color: '#1b5e20', weight: 2, dashArray: '6 4', fillOpacity: 0.04 }),
    }).addTo(map);
    // Plots on the canvas by id: a pan adds only the plots it brings into view and drops the ones
    // it leaves behind, instead of redrawing thousands.
    const drawnPlots = new Map<string, L.Layer>();
    let drawnFor = '';
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
        drawnPlots.set(String(feature.id), layer);
        layer.on('click', (event) => {
          // While drawing, a click on a plot is a vertex of the new one.
          if (map.pm?.globalDrawModeEnabled()) return;
          L.DomEvent.stopPropagation(event);
          setSelection({ kind: 'plot', id: String(feature.id) });
        });
      },
    }).addTo(map);

    plots.current = plotLayer;
    if (mayDraw) {
      map.pm.addControls({
        position: 'topleft',
        drawMarker: false,
        drawCircleMarker: false,
        drawPolyline: false,
        drawRectangle: false,
        drawCircle: false,
        drawText: false,
        editMode: false,
        dragMode: false,
        cutPolygon: false,
        removalMode: false,
        rotateMode: false,
      });
      // Snapping to neighbouring plots keeps shared banks shared, not overlapping.
      map.pm.setGlobalOptions({ snappable: true, snapDistance: 12, allowSelfIntersection: false });
      map.on('pm:drawstart', ({ workingLayer }) => {
        workingLayer.on('pm:vertexadded', () => {
          const ring = (workingLayer as L.Polyline).getLatLngs() as L.LatLng[];
          if (ring.length < 3) return;
          const coordinates = [...ring, ring[0]!].map((p) => [p.lng, p.lat]);
          const area = areaInUnits(areaM2({ type: 'Polygon', coordinates: [coordinates] }));
          setLiveArea({ ha: area.ha, sao: area.sao });
        });
      });
      map.on('pm:create', ({ layer }) => {
        drawn.current?.remove();
        drawn.current = layer as L.Polygon;
        const polygon = drawn.current;
        polygon.setStyle({ color: '#0d47a1', weight: 3, fillOpacity: 0.2 });
        polygon.pm.enable({ snappable: true });
        polygon.on('pm:edit', () => setDraft(polygon.toGeoJSON().geometry as Polygon));
        setLiveArea(null);
        setSelection(null);
        setDraft(polygon.toGeoJSON().geometry as Polygon);
      });
    }

    // With no signal the map draws the plots the device kept for the field.
    const keptInView = async (error: unknown): Promise<PlotCollection> => {
      if (!(error instanceof OfflineError) || !userId.current) throw error;
      return keptPlotsIn(await fieldPlots(userId.current), map.getBounds(), filtersRef.current);
    };
    const clusterLayer = L.layerGroup().addTo(map);
    let inFlight: AbortController | null = null;
    const loadPlots = async () => {
      // A moved viewport cancels the request for the one before.
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const b = map.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
        .map((n) => n.toFixed(6))
        .join(',');
      if (map.getZoom() < PLOT_MIN_ZOOM) {
        plotLayer.clearLayers();
        drawnPlots.clear();
        try {
          const clusters = await apiGet<PlotClusterDto[]>(
            `/plots/clusters?bbox=${bbox}&zoom=${map.getZoom()}${filterQuery(filtersRef.current)}`,
            controller.signal,
          );
          clusterLayer.clearLayers();
          for (const cluster of clusters) {
            L.circleMarker([cluster.lat, cluster.lng], {
              radius: Math.min(28, 8 + Math.sqrt(cluster.count)),
              color: '#1b5e20',
              weight: 1,
              fillColor: '#66bb6a',
              fillOpacity: 0.75,
            })
              .bindTooltip(textLabel(String(cluster.count)), {
                permanent: true,
                direction: 'center',
                className: 'cluster-label',
              })
              .on('click', () =>
                map.setView([cluster.lat, cluster.lng], Math.min(PLOT_MIN_ZOOM, map.getZoom() + 2)),
              )
              .addTo(clusterLayer);
          }
          setNote(`zoomIn:${clusters.reduce((sum, c) => sum + c.count, 0)}`);
        } catch (error) {
          if ((error as Error).name === 'AbortError') return;
          const kept = await keptInView(error).catch(() => null);
          setNote(kept ? `zoomIn:${kept.features.length}` : 'map.error');
        }
        return;
      }
      clusterLayer.clearLayers();
      try {
        const collection = await apiGet<PlotCollection>(
          `/plots?bbox=${bbox}${filterQuery(filtersRef.current)}`,
          controller.signal,
        ).catch(keptInView);
        const status = filtersRef.current.status;
        if (status)
          collection.features = collection.features.filter((f) => f.properties.status === status);
        const filterKey = `${filterQuery(filtersRef.current)}|${status ?? ''}`;
        if (filterKey !== drawnFor) {
          plotLayer.clearLayers();
          drawnPlots.clear();
          drawnFor = filterKey;
        }
        const inView = new Set(collection.features.map((f) => String(f.id)));
        for (const [id, layer] of drawnPlots) {
          if (!inView.has(id)) {
            plotLayer.removeLayer(layer);
            drawnPlots.delete(id);
          }
        }
        plotLayer.addData({
          type: 'FeatureCollection',
          features: collection.features.filter((f) => !drawnPlots.has(String(f.id))),
        } as GeoJSON.FeatureCollection);
        // Tells browser tests and benchmarks that this viewport's plots are on the canvas.
        window.dispatchEvent(
          new CustomEvent('huuco:plots-drawn', { detail: collection.features.length }),
        );
        setNote(
          collection.truncated
            ? `truncated:${collection.features.length}`
            : `shown:${collection.features.length}`,
        );
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setNote('map.error');
      }
    };

    // An explicit reload (a saved plot, new filters) redraws everything; a pan only what changed.
    reload.current = () => {
      drawnFor = '';
      return loadPlots();
    };
    apiGet<Page<ZoneDto>>('/zones?pageSize=200')
      .then(
        (page) => page.items,
        (error: unknown) => {
          if (!(error instanceof OfflineError) || !userId.current) throw error;
          return fieldZones(userId.current);
        },
      )
      .then((items) => {
        setZones(items);
        for (const zone of items) {
          const layer = L.geoJSON(zone.geometry as GeoJSON.Geometry, {
            style: () => ({ color: '#1b5e20', weight: 2, dashArray: '6 4', fillOpacity: 0.04 }),
          });
          layer.bindTooltip(textLabel(zone.name), {
            permanent: true,
            direction: 'top',
            offset: [0, -24],
            className: 'zone-label',
          });
          layer.on('click', () => {
            if (!map.pm?.globalDrawModeEnabled()) setSelection({ kind: 'zone', zone });
          });
          zoneLayer.addLayer(layer);
        }
      })
      .catch(() => setNote('map.error'));

    map.on('moveend', () => void loadPlots());
    void loadPlots();
    (window as unknown as { huucoMap?: L.Map }).huucoMap = map;
    mapRef.current = map;
    return () => {
      inFlight?.abort();
      map.remove();
    };
  }, [mayDraw]);

  // A link to a plot or a zone (from its record page) opens the map on it, its panel open.
  const [params] = useSearchParams();
  const linkedPlot = params.get('plot');
  const linkedZone = params.get('zone');
  const linkedHousehold = params.get('household');
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const fit = (geometry: unknown) => {
      const bounds = L.geoJSON(geometry as GeoJSON.GeoJsonObject).getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 18 });
    };
    if (linkedPlot) {
      setSelection({ kind: 'plot', id: linkedPlot });
      apiGet<PlotDto>(`/plots/${linkedPlot}`)
        .catch(async (error: unknown) => {
          const kept =
            error instanceof OfflineError &&
            userId.current &&
            (await fieldPlot(userId.current, linkedPlot));
          if (!kept) throw error;
          return kept;
        })
        .then((plot) => fit(plot.geometry))
        .catch(() => setNote('map.error'));
    }
    if (linkedZone)
      apiGet<ZoneDto>(`/zones/${linkedZone}`)
        .then((zone) => {
          setSelection({ kind: 'zone', zone });
          fit(zone.geometry);
        })
        .catch(() => setNote('map.error'));
  }, [linkedPlot, linkedZone]);

  // The drawing tool speaks the user's language too.
  useEffect(() => {
    const map = mapRef.current;
    if (!map?.pm) return;
    if (language === 'vi') map.pm.setLang('vi' as never, GEOMAN_VI as never, 'en');
    else map.pm.setLang('en');
  }, [language, mayDraw]);

  const clearDraft = () => {
    drawn.current?.remove();
    drawn.current = null;
    setDraft(null);
    plots.current?.resetStyle();
  };

  /** Shows the server's refusal on the map: the plots it names turn red. */
  const highlightRejection = (error: ErrorBody) => {
    plots.current?.resetStyle();
    const named = new Set((error.errors ?? []).map((e) => e['plotId']).filter(Boolean));
    plots.current?.eachLayer((layer) => {
      const feature = (layer as L.GeoJSON & { feature?: GeoJSON.Feature }).feature;
      if (feature && named.has(feature.id)) (layer as L.Path).setStyle(HIGHLIGHT);
    });
  };

  const noteText = note.startsWith('zoomIn:')
    ? t('map.zoomInCount', { n: note.slice(7) })
    : note.startsWith('shown:')
      ? t('map.plotsShown', { n: note.slice(6) })
      : note.startsWith('truncated:')
        ? t('map.truncated', { n: note.slice(10) })
        : note
          ? (lookup(note) ?? note)
          : t('map.loading');

  return (
    <div className="map-page">
      <div ref={container} className="map" data-testid="map" />
      <div className="map-note" role="status">
        {noteText}
      </div>
      <Legend />
      <MapFilters
        zones={zones}
        filters={filters}
        onChange={(next) => {
          filtersRef.current = next;
          setFilters(next);
          void reload.current();
        }}
      />
      <MapSearch
        onFound={(plot) => {
          const bounds = L.geoJSON(plot.geometry as GeoJSON.Geometry).getBounds();
          mapRef.current?.flyToBounds(bounds, { maxZoom: 18, duration: 0.8 });
          setSelection({ kind: 'plot', id: plot.id });
        }}
      />
      {liveArea && (
        <div className="map-note live-area" role="status">
          {t('draw.liveArea', {
            ha: formatNumber(liveArea.ha, locale, 4),
            sao: formatNumber(liveArea.sao, locale, 2),
          })}
        </div>
      )}
      {draft && (
        <PlotForm
          geometry={draft}
          zones={zones}
          householdId={linkedHousehold}
          onCancel={clearDraft}
          onRejected={highlightRejection}
          onSaved={() => {
            clearDraft();
            void reload.current();
          }}
        />
      )}
      {!draft && selection?.kind === 'plot' && (
        <PlotPanel id={selection.id} onClose={() => setSelection(null)} />
      )}
      {!draft && selection?.kind === 'zone' && (
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
