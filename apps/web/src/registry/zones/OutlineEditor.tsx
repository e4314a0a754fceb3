import '../../map/leaflet-global';
import '@geoman-io/leaflet-geoman-free';
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css';
import {
  areaInUnits,
  areaM2,
  checkOutline,
  checkZoneArea,
  shareInside,
  GeometryRules,
  type AreaGeometry,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { formatNumber } from '../../format';
import { errorInWords, useI18n } from '../../i18n';

/**
 * A zone's outline drawn or edited on a map of its own, beside the zones around it: corners are
 * dragged, added and removed with Leaflet-Geoman, and every change is handed back at once.
 */
export function OutlineEditor({
  geometry,
  around,
  onChange,
}: {
  geometry: Polygon | null;
  /** Outlines to draw beside it (the other zones), for orientation without map tiles. */
  around: AreaGeometry[];
  onChange: (geometry: Polygon | null) => void;
}) {
  const { t } = useI18n();
  const container = useRef<HTMLDivElement>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const start = useRef(geometry);

  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, { zoomControl: true, maxZoom: 19 });
    const context = L.geoJSON(
      {
        type: 'FeatureCollection',
        features: around.map((g) => ({ type: 'Feature', properties: {}, geometry: g })),
      } as GeoJSON.FeatureCollection,
      {
        style: { color: '#546e7a', weight: 1, dashArray: '4 4', fillOpacity: 0.05 },
        interactive: false,
      },
    );
    // The view first: Leaflet places a layer only on a map that has one.
    const outline = start.current ? (L.geoJSON(start.current).getLayers()[0] as L.Polygon) : null;
    const bounds = outline ? outline.getBounds() : context.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
    else map.setView([20.8, 106.4], 13);
    context.addTo(map);
    const follow = (layer: L.Polygon) => {
      const send = () =>
        onChangeRef.current((layer.toGeoJSON() as GeoJSON.Feature<Polygon>).geometry);
      layer.on('pm:edit', send);
      layer.on('pm:markerdragend', send);
      layer.on('pm:vertexremoved', send);
      layer.pm.enable({ snappable: false });
    };
    if (outline) {
      outline.setStyle({ color: '#1b5e20', weight: 3 });
      outline.addTo(map);
      follow(outline);
    } else {
      map.pm.enableDraw('Polygon', { snappable: false });
      map.on('pm:create', ({ layer }) => {
        const polygon = layer as L.Polygon;
        polygon.setStyle({ color: '#1b5e20', weight: 3 });
        onChangeRef.current((polygon.toGeoJSON() as GeoJSON.Feature<Polygon>).geometry);
        follow(polygon);
      });
    }
    (window as unknown as { huucoOutlineMap?: L.Map }).huucoOutlineMap = map;
    return () => {
      map.remove();
    };
    // The map is made once; later geometries come from it, not into it.
  }, []);

  return (
    <div className="outline-editor">
      <div
        ref={container}
        className="outline-map"
        data-testid="outline-map"
        aria-label={t('zones.outline')}
      />
    </div>
  );
}

/**
 * What the outline would be, checked as the server will check it: a valid ring of 1–50,000 ha;
 * and, for a zone that has plots, how many would no longer lie 95 % inside it.
 */
export function OutlineChecks({
  geometry,
  plots,
}: {
  geometry: Polygon | null;
  plots: AreaGeometry[];
}) {
  const { t, locale } = useI18n();
  if (!geometry) return <p className="hint">{t('zones.drawHint')}</p>;
  const issue = checkOutline(geometry) ?? checkZoneArea(areaM2(geometry));
  const area = areaInUnits(areaM2(geometry));
  const outside = issue
    ? 0
    : plots.filter((p) => shareInside(p, geometry) < GeometryRules.minShareInsideZone).length;
  return (
    <div className="outline-checks" role="status">
      <p>
        {t('zones.liveArea', {
          ha: formatNumber(area.ha, locale, 2),
          sao: formatNumber(area.sao, locale, 0),
        })}
      </p>
      {issue && (
        <p role="alert" className="form-error">
          {errorInWords(issue)}
        </p>
      )}
      {outside > 0 && (
        <p role="alert" className="form-error">
          {t('zones.plotsOutside', { count: outside })}
        </p>
      )}
    </div>
  );
}
