import '../map/leaflet-global';
import L from 'leaflet';
import type { ImportRowDto } from '@huuco/domain';
import { useEffect, useRef } from 'react';

/** The preview's plots where the file puts them: errors in red, the rest in green. No basemap needed. */
export function ImportMap({ rows }: { rows: ImportRowDto[] }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, { preferCanvas: true, attributionControl: false });
    map.setView([20.815, 106.405], 13);
    const layer = L.featureGroup().addTo(map);
    for (const row of rows) {
      if (!row.geometry) continue;
      const failed = row.verdict === 'error';
      const shape = L.geoJSON(row.geometry as unknown as GeoJSON.Geometry, {
        style: {
          color: failed ? '#b71c1c' : '#1b5e20',
          weight: 2,
          fillColor: failed ? '#e53935' : '#7cb342',
          fillOpacity: 0.5,
        },
      });
      // A tooltip of text nodes: the code came from a file.
      const label = document.createElement('span');
      label.textContent = `#${row.number} ${String(row.values['code'] ?? '')}`;
      shape.bindTooltip(label);
      shape.addTo(layer);
    }
    container.current.setAttribute('data-plots', String(layer.getLayers().length));
    container.current.setAttribute(
      'data-errors',
      String(rows.filter((r) => r.geometry && r.verdict === 'error').length),
    );
    map.invalidateSize();
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10], maxZoom: 18 });
    return () => {
      map.remove();
    };
  }, [rows]);
  return <div ref={container} className="contract-map" role="img" aria-label="import-map" />;
}
