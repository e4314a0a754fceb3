import '../map/leaflet-global';
import L from 'leaflet';
import type { FeatureCollection } from 'geojson';
import type { ContractDto, ZoneDto } from '@huuco/domain';
import { useEffect, useRef } from 'react';
import { apiGet } from '../api';

/** The plots a contract covers, over its zone's outline: drawn on canvas, no basemap needed. */
export function ContractMap({ contract }: { contract: ContractDto }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const map = L.map(container.current, {
      preferCanvas: true,
      zoomControl: true,
      attributionControl: false,
    });
    map.setView([20.815, 106.405], 13);
    const load = async () => {
      const zone = contract.zoneId ? await apiGet<ZoneDto>(`/zones/${contract.zoneId}`) : null;
      const zoneLayer = zone
        ? L.geoJSON(zone.geometry as GeoJSON.Geometry, {
            style: { color: '#1b5e20', weight: 2, dashArray: '6 4', fillOpacity: 0.05 },
          }).addTo(map)
        : null;
      const bounds = zoneLayer?.getBounds();
      const bbox = bounds
        ? `${bounds.getWest()},${bounds.getSouth()},${bounds.getEast()},${bounds.getNorth()}`
        : '102,8,110,24';
      const plots = await apiGet<FeatureCollection>(
        `/plots?bbox=${bbox}&cooperativeId=${contract.cooperativeId}${contract.zoneId ? `&zoneId=${contract.zoneId}` : ''}`,
      );
      const listed = new Set(contract.plotIds);
      const covered = listed.size
        ? plots.features.filter((f) => listed.has(String(f.id)))
        : plots.features;
      const layer = L.geoJSON(
        { type: 'FeatureCollection', features: covered } as FeatureCollection,
        {
          style: { color: '#33691e', weight: 1, fillColor: '#7cb342', fillOpacity: 0.6 },
        },
      ).addTo(map);
      // Tells tests how many plots are on the canvas.
      container.current?.setAttribute('data-plots', String(covered.length));
      map.invalidateSize();
      const all = layer.getBounds();
      if (all.isValid()) map.fitBounds(all, { padding: [10, 10] });
      else if (bounds?.isValid()) map.fitBounds(bounds);
    };
    void load();
    return () => {
      map.remove();
    };
  }, [contract]);
  return <div ref={container} className="contract-map" role="img" aria-label="plots" />;
}
