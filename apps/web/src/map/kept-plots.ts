import type { PlotDto, PlotFeatureProperties } from '@huuco/domain';
import L from 'leaflet';
import type { PlotFilters } from './MapFilters';

export type PlotCollection = GeoJSON.FeatureCollection<GeoJSON.Polygon, PlotFeatureProperties> & {
  truncated: boolean;
};

const boundsOf = new WeakMap<PlotDto, L.LatLngBounds>();

function bounds(plot: PlotDto): L.LatLngBounds {
  let known = boundsOf.get(plot);
  if (!known) {
    known = L.geoJSON(plot.geometry as GeoJSON.Geometry).getBounds();
    boundsOf.set(plot, known);
  }
  return known;
}

/**
 * The plots the device kept that lie in the view and pass the map's filters, as the map's own
 * answer would carry them: the map with no signal. The commune filter needs no check here: a
 * field worker's kept plots are their cooperative's, in its commune.
 */
export function keptPlotsIn(
  plots: readonly PlotDto[],
  view: L.LatLngBounds,
  filters: PlotFilters,
): PlotCollection {
  const features = plots
    .filter(
      (plot) =>
        (!filters.zoneId || plot.zoneId === filters.zoneId) &&
        (!filters.cooperativeId || plot.cooperativeId === filters.cooperativeId) &&
        (!filters.farmingSystem || plot.farmingSystem === filters.farmingSystem) &&
        view.intersects(bounds(plot)),
    )
    .map((plot): GeoJSON.Feature<GeoJSON.Polygon, PlotFeatureProperties> => ({
      type: 'Feature',
      id: plot.id,
      geometry: plot.geometry as GeoJSON.Polygon,
      properties: {
        code: plot.code,
        zoneId: plot.zoneId,
        farmingSystem: plot.farmingSystem,
        areaM2: plot.area.m2,
        flags: plot.flags,
        status: plot.organicStatus.status,
        isDemo: plot.isDemo,
      },
    }));
  return { type: 'FeatureCollection', features, truncated: false };
}
