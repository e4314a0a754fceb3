import proj4 from 'proj4';

/**
 * EPSG:6960, VN-2000 to WGS 84 (2): the official seven-parameter shift, in PROJ's position-vector
 * form (EPSG gives it as coordinate-frame rotations; the signs of the rotations are flipped).
 */
const VN2000_TOWGS84 =
  '+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';

/** VN-2000's TM-3 zones by EPSG code: their central meridians, all with k = 0.9999. */
const VN2000_TM3: Record<number, number> = {
  5896: 102,
  5897: 105,
  5898: 108,
  5899: 107.75,
  9205: 103,
  9206: 104,
  9207: 104.5,
  9208: 104.75,
  9209: 105.5,
  9210: 105.75,
  9211: 106,
  9212: 106.25,
  9213: 106.5,
  9214: 107,
  9215: 107.25,
  9216: 107.5,
  9217: 108.25,
  9218: 108.5,
};

/** A coordinate reference system a plot file may be in, with its way to WGS 84. */
export interface Crs {
  /** As shown to the user: `EPSG:9209 VN-2000 / TM-3 105°30'`, `EPSG:4326 WGS 84`. */
  name: string;
  geographic: boolean;
  toWgs84(position: number[]): [number, number];
}

function tm(
  meridian: number,
  k: number,
  falseEasting: number,
  falseNorthing: number,
  datum: string,
) {
  return `+proj=tmerc +lat_0=0 +lon_0=${meridian} +k=${k} +x_0=${falseEasting} +y_0=${falseNorthing} ${datum} +units=m +no_defs`;
}

function crsOf(name: string, definition: string | null): Crs {
  if (definition === null) return { name, geographic: true, toWgs84: ([x, y]) => [x!, y!] };
  const converter = proj4(definition, 'EPSG:4326');
  return {
    name,
    geographic: definition.includes('+proj=longlat'),
    toWgs84: ([x, y]) => converter.forward([x!, y!]) as [number, number],
  };
}

const degrees = (value: number) => {
  const whole = Math.floor(value);
  const minutes = Math.round((value - whole) * 60);
  return minutes ? `${whole}°${String(minutes).padStart(2, '0')}'` : `${whole}°`;
};

const VN2000 = `+ellps=WGS84 ${VN2000_TOWGS84}`;
const WGS84 = '+datum=WGS84';

function byEpsg(code: number): Crs | null {
  if (code === 4326) return crsOf('EPSG:4326 WGS 84', null);
  if (code === 32648 || code === 32649) {
    const zone = code - 32600;
    return crsOf(
      `EPSG:${code} WGS 84 / UTM ${zone}N`,
      `+proj=utm +zone=${zone} ${WGS84} +units=m +no_defs`,
    );
  }
  if (code === 4756) return crsOf('EPSG:4756 VN-2000', `+proj=longlat ${VN2000} +no_defs`);
  if (code === 3405 || code === 3406) {
    const zone = code === 3405 ? 48 : 49;
    return crsOf(
      `EPSG:${code} VN-2000 / UTM ${zone}N`,
      `+proj=utm +zone=${zone} ${VN2000} +units=m +no_defs`,
    );
  }
  const meridian = VN2000_TM3[code];
  if (meridian !== undefined)
    return crsOf(
      `EPSG:${code} VN-2000 / TM-3 ${degrees(meridian)}`,
      tm(meridian, 0.9999, 500000, 0, VN2000),
    );
  return null;
}

/** A number from a WKT `PARAMETER[...]` (WKT 1, ESRI) or its WKT 2 name. */
function parameter(wkt: string, ...names: string[]): number | null {
  for (const name of names) {
    const match = new RegExp(
      `PARAMETER\\["${name}"\\s*,\\s*(-?[\\d.]+(?:[eE][-+]?\\d+)?)`,
      'i',
    ).exec(wkt);
    if (match) return Number(match[1]);
  }
  return null;
}

/** Reads a `.prj` (ESRI or OGC WKT 1, WKT 2): VN-2000 on any Transverse Mercator zone, WGS 84, UTM. */
function fromWkt(wkt: string): Crs | null {
  const authority =
    /AUTHORITY\["EPSG"\s*,\s*"?(\d+)"?\]\s*\]\s*$/i.exec(wkt.trim()) ??
    /ID\["EPSG"\s*,\s*(\d+)\]\s*\]\s*$/i.exec(wkt.trim());
  if (authority) {
    const known = byEpsg(Number(authority[1]));
    if (known) return known;
  }
  const vn2000 = /Vietnam[_ ]?2000|VN[-_ ]?2000/i.test(wkt);
  const wgs84 = /WGS[_ ]?(19)?84/i.test(
    wkt.replace(/SPHEROID\[[^\]]*\]|ELLIPSOID\[[^\]]*\]/gi, ''),
  );
  if (!vn2000 && !wgs84) return null;
  const datum = vn2000 ? VN2000 : WGS84;
  const datumName = vn2000 ? 'VN-2000' : 'WGS 84';
  if (/^\s*(GEOGCS|GEOGCRS|GEODCRS)\[/i.test(wkt)) return vn2000 ? byEpsg(4756) : byEpsg(4326);
  if (!/Transverse[_ ]Mercator/i.test(wkt)) return null;
  const meridian = parameter(wkt, 'central_meridian', 'Longitude of natural origin');
  const k = parameter(wkt, 'scale_factor', 'Scale factor at natural origin') ?? 1;
  const x0 = parameter(wkt, 'false_easting', 'False easting') ?? 0;
  const y0 = parameter(wkt, 'false_northing', 'False northing') ?? 0;
  const latitude = parameter(wkt, 'latitude_of_origin', 'Latitude of natural origin') ?? 0;
  if (meridian === null || latitude !== 0) return null;
  const kind = Math.abs(k - 0.9996) < 1e-9 ? 'UTM' : Math.abs(k - 0.9999) < 1e-9 ? 'TM-3' : 'TM';
  return crsOf(`${datumName} / ${kind} ${degrees(meridian)}`, tm(meridian, k, x0, y0, datum));
}

/**
 * The CRS a user or a `.prj` names: `EPSG:<code>` of those above, `VN-2000 TM-3 105.5` (or
 * `105°30'`), or WKT. Null when huuco cannot place it (it does not guess).
 */
export function resolveCrs(text: string): Crs | null {
  const given = text.trim();
  const epsg = /^EPSG:(\d+)$/i.exec(given);
  if (epsg) return byEpsg(Number(epsg[1]));
  if (/^(WGS ?84|CRS84|urn:ogc:def:crs:OGC:1\.3:CRS84)$/i.test(given)) return byEpsg(4326);
  const urn = /^urn:ogc:def:crs:EPSG::(\d+)$/i.exec(given);
  if (urn) return byEpsg(Number(urn[1]));
  const tm3 = /^VN-?2000\s*(?:\/\s*)?TM-?3\s+(\d{3})(?:[.,](\d+)|°\s*(\d{1,2})'?)?$/i.exec(given);
  if (tm3) {
    const meridian =
      Number(tm3[1]) + (tm3[2] ? Number(`0.${tm3[2]}`) : 0) + (tm3[3] ? Number(tm3[3]) / 60 : 0);
    if (meridian < 102 || meridian > 110) return null;
    return crsOf(`VN-2000 / TM-3 ${degrees(meridian)}`, tm(meridian, 0.9999, 500000, 0, VN2000));
  }
  if (/^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\[/i.test(given)) return fromWkt(given);
  return null;
}
