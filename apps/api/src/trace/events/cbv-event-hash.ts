import { createHash } from 'node:crypto';

/**
 * The CBV 2.0 event hash (CBV §8.9): the event's pre-hash string — its fields in the canonical
 * property order, values canonical (UTC millisecond timestamps, web-vocabulary URIs, constrained
 * GS1 Digital Link URIs for EPCs, no trailing zeros), lists sorted, the fields outside the
 * order (business transactions, sources, destinations, ILMD, extensions) after them, sorted —
 * hashed with SHA-256 into `ni:///sha-256;…?ver=CBV2.0`. Any EPCIS system computes the same ID
 * for the same event, whatever its serialisation.
 */
export type Namespaces = Record<string, string>;
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Prefixes every EPCIS 2.0 document may use without declaring them. */
export const STANDARD_NAMESPACES: Namespaces = {
  gs1: 'https://gs1.org/voc/',
  cbv: 'https://ref.gs1.org/cbv/',
  epcis: 'https://ref.gs1.org/epcis/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
};

const QUANTITY: Order = [['epcClass'], ['quantity'], ['uom']];
type Order = [string, Order?][];
const SENSOR_METADATA: Order = [
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
].map((k) => [k]);
const SENSOR_REPORT: Order = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
].map((k) => [k]);

/** Vocabulary each field's bare values expand into. */
const VOCABULARY: Record<string, string> = {
  bizStep: 'https://ref.gs1.org/cbv/BizStep-',
  disposition: 'https://ref.gs1.org/cbv/Disp-',
  set: 'https://ref.gs1.org/cbv/Disp-',
  unset: 'https://ref.gs1.org/cbv/Disp-',
  'bizTransaction.type': 'https://ref.gs1.org/cbv/BTT-',
  'source.type': 'https://ref.gs1.org/cbv/SDT-',
  'destination.type': 'https://ref.gs1.org/cbv/SDT-',
  reason: 'https://ref.gs1.org/cbv/ER-',
  'sensorReport.type': 'https://gs1.org/voc/',
  'sensorReport.exception': 'https://gs1.org/voc/',
};
const URN_VOCABULARY: [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];
// An error declaration restates an event under its own ID (EPCIS 2.0 §7.4.1.4): not hashed.
const IGNORED = new Set([
  'type',
  'eventID',
  'recordTime',
  'errorDeclaration',
  'comment',
  'rdfs:comment',
]);

export function cbvEventId(event: Record<string, unknown>, namespaces: Namespaces = {}): string {
  return `ni:///sha-256;${createHash('sha256').update(preHashString(event, namespaces), 'utf8').digest('hex')}?ver=CBV2.0`;
}

export function preHashString(event: Record<string, unknown>, namespaces: Namespaces = {}): string {
  const ns = { ...STANDARD_NAMESPACES, ...namespaces };
  const e = event as Record<string, Json>;
  const done = new Set<string>();
  const take = (key: string): Json | undefined => {
    done.add(key);
    return e[key];
  };
  const out: string[] = [`eventType=${String(e['type'])}`];
  for (const key of ['eventTime', 'eventTimeZoneOffset', 'certificationInfo']) {
    const value = take(key);
    if (value !== undefined) out.push(field(key, value, ns));
  }
  const epcs = (key: string) => {
    const list = take(key);
    if (Array.isArray(list) && list.length)
      out.push(key + sorted(list.map((v) => field('epc', v, ns))));
  };
  const quantities = (key: string) => {
    const list = take(key);
    if (Array.isArray(list) && list.length)
      out.push(
        key +
          sorted(
            list.map(
              (q) => `quantityElement${ordered(q as Record<string, Json>, QUANTITY, ns, '')}`,
            ),
          ),
      );
  };
  epcs('epcList');
  const parent = take('parentID');
  if (parent !== undefined) out.push(field('parentID', parent, ns));
  epcs('inputEPCList');
  epcs('childEPCs');
  quantities('quantityList');
  quantities('childQuantityList');
  quantities('inputQuantityList');
  epcs('outputEPCList');
  quantities('outputQuantityList');
  for (const key of ['action', 'transformationID', 'bizStep', 'disposition']) {
    const value = take(key);
    if (value !== undefined) out.push(field(key, value, ns));
  }
  const persistent = take('persistentDisposition') as Record<string, Json> | undefined;
  if (persistent) {
    const parts = ['set', 'unset'].flatMap((k) =>
      Array.isArray(persistent[k])
        ? [sorted((persistent[k] as Json[]).map((v) => field(k, v, ns)))]
        : [],
    );
    if (parts.join('')) out.push(`persistentDisposition${parts.join('')}`);
  }
  for (const key of ['readPoint', 'bizLocation']) {
    const place = take(key) as Record<string, Json> | undefined;
    if (place) out.push(key + ordered(place, [['id']], ns, key));
  }
  const sensors = take('sensorElementList');
  if (Array.isArray(sensors) && sensors.length) {
    out.push(
      `sensorElementList${sorted(
        sensors.map((s) => {
          const element = s as Record<string, Json>;
          const metadata = element['sensorMetadata'] as Record<string, Json> | undefined;
          const reports = (element['sensorReport'] ?? []) as Json[];
          return `sensorElement${metadata ? `sensorMetadata${ordered(metadata, SENSOR_METADATA, ns, 'sensorMetadata')}` : ''}${sorted(
            reports.map(
              (r) =>
                `sensorReport${ordered(r as Record<string, Json>, SENSOR_REPORT, ns, 'sensorReport')}`,
            ),
          )}${extensions(element, new Set(['sensorMetadata', 'sensorReport']), ns)}`;
        }),
      )}`,
    );
  }
  // Everything outside the canonical order, sorted: transactions, sources, destinations, ILMD, extensions.
  const rest: string[] = [];
  for (const [key, value] of Object.entries(e)) {
    if (done.has(key) || IGNORED.has(key) || key.startsWith('@')) continue;
    if (key === 'bizTransactionList' || key === 'sourceList' || key === 'destinationList') {
      const item = key.slice(0, -4);
      const list = (value ?? []) as Record<string, Json>[];
      if (list.length)
        rest.push(
          key +
            sorted(
              list.map(
                (t) =>
                  (t['type'] !== undefined
                    ? field(`${item}.type`, t['type'], ns).replace(/^[^=]*\./, '')
                    : '') + field(item, t[item]!, ns),
              ),
            ),
        );
    } else if (key === 'ilmd') {
      rest.push(`ilmd${extensions(value as Record<string, Json>, new Set(), ns)}`);
    } else {
      rest.push(generic(key, value, ns));
    }
  }
  return out.join('') + sorted(rest);
}

/** The fields of `order` present in `object`, in that order, then its extensions. */
function ordered(
  object: Record<string, Json>,
  order: Order,
  ns: Namespaces,
  parent: string,
): string {
  const known = new Set(order.map(([k]) => k));
  const parts = order.flatMap(([key]) =>
    object[key] === undefined
      ? []
      : [field(parent ? `${parent}.${key}` : key, object[key]!, ns).replace(/^[^=]*\./, '')],
  );
  return parts.join('') + extensions(object, known, ns);
}

/** User extension elements: `{namespace}local=value`, nested ones inside, all sorted. */
function extensions(object: Record<string, Json>, known: Set<string>, ns: Namespaces): string {
  return sorted(
    Object.entries(object)
      .filter(([key]) => !known.has(key) && !IGNORED.has(key) && !key.startsWith('@'))
      .map(([key, value]) => generic(key, value, ns)),
  );
}

function generic(key: string, value: Json, ns: Namespaces): string {
  const name = expandKey(key, ns);
  if (Array.isArray(value)) return sorted(value.map((v) => generic(key, v, ns)));
  if (value !== null && typeof value === 'object')
    return name + sorted(Object.entries(value).map(([k, v]) => generic(k, v, ns)));
  const text = canonicalValue(key, value, ns);
  return text === '' ? name : `${name}=${text}`;
}

function field(key: string, value: Json, ns: Namespaces): string {
  const name = key.includes('.') ? key : key;
  return `${name}=${canonicalValue(key, value, ns)}`;
}

function expandKey(key: string, ns: Namespaces): string {
  const at = key.indexOf(':');
  if (at > 0 && ns[key.slice(0, at)]) return `{${ns[key.slice(0, at)]}}${key.slice(at + 1)}`;
  return key;
}

/** Rules 5–18: one canonical text per value. `key` may be `parent.key` for context. */
function canonicalValue(key: string, value: Json, ns: Namespaces): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return numberText(value);
  if (value === null) return '';
  let text = String(value).trim();
  const local = key.split('.').at(-1)!;
  if (/time/i.test(local) && !/offset/i.test(local)) return timestamp(text);
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return numberText(Number(text));
  const vocabulary = VOCABULARY[key] ?? VOCABULARY[local];
  if (vocabulary && /^[A-Za-z][A-Za-z0-9_]*$/.test(text)) return vocabulary + text;
  for (const [urn, web] of URN_VOCABULARY)
    if (text.startsWith(urn)) return web + text.slice(urn.length);
  const curie = /^([A-Za-z][\w-]*):(.+)$/.exec(text);
  if (curie && ns[curie[1]!] && /^https:\/\/(ref\.)?gs1\.org\//.test(ns[curie[1]!]!))
    text = ns[curie[1]!]! + curie[2]!;
  return epcToDigitalLink(text) ?? constrainedDigitalLink(text) ?? text;
}

function numberText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

/** UTC with milliseconds, rounded half up. */
function timestamp(text: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return text;
  const fraction = m[2] ? Number(`0${m[2]}`) : 0;
  const base = Date.parse(`${m[1]}${m[3]}`);
  return new Date(base + Math.round(fraction * 1000)).toISOString();
}

const PRIMARY_KEYS = new Set([
  '00',
  '01',
  '253',
  '255',
  '401',
  '402',
  '414',
  '417',
  '8003',
  '8004',
  '8006',
  '8010',
  '8017',
  '8018',
]);
const QUALIFIERS: Record<string, string[]> = {
  '01': ['21', '10', '235'],
  '414': ['254'],
  '8006': ['21', '10'],
  '8010': ['8011'],
};

/** An EPC URI or any GS1 Digital Link as its canonical Digital Link, else the text itself. */
export function canonicalUri(text: string): string {
  return epcToDigitalLink(text) ?? constrainedDigitalLink(text) ?? text;
}

/** Rule 18: any GS1 Digital Link on id.gs1.org, no query, only the finest key qualifier. */
function constrainedDigitalLink(text: string): string | null {
  // Most values are no web address at all: not parsed (a failed parse throws, and costs).
  if (!/^https?:\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const segments = url.pathname.split('/').filter(Boolean);
  const start = segments.findIndex((s, i) => PRIMARY_KEYS.has(s) && segments[i + 1] !== undefined);
  if (start < 0) return null;
  const key = segments[start]!;
  const pairs = new Map<string, string>();
  for (let i = start + 2; i + 1 < segments.length; i += 2)
    pairs.set(segments[i]!, segments[i + 1]!);
  let value = segments[start + 1]!;
  if (key === '01' && /^\d{8,14}$/.test(value)) value = value.padStart(14, '0');
  const qualifier = (QUALIFIERS[key] ?? []).find((q) => pairs.has(q));
  return `https://id.gs1.org/${key}/${value}${qualifier ? `/${qualifier}/${pairs.get(qualifier)}` : ''}`;
}

/** Rule 17: EPC URIs (pure identities, classes, patterns) as canonical GS1 Digital Link URIs. */
function epcToDigitalLink(text: string): string | null {
  const m = /^urn:epc:(id|class|idpat):([a-z]+):(.+)$/.exec(text);
  if (!m) return null;
  const [, , scheme, body] = m as unknown as [string, string, string, string];
  const parts = body.split('.');
  const dl = (path: string) => `https://id.gs1.org/${path}`;
  const gtin = (cp: string, ref: string) => withCheck(ref[0]! + cp + ref.slice(1));
  switch (scheme) {
    case 'sgtin':
      return parts[2] === '*'
        ? dl(`01/${gtin(parts[0]!, parts[1]!)}`)
        : dl(`01/${gtin(parts[0]!, parts[1]!)}/21/${parts[2]}`);
    case 'lgtin':
      return dl(`01/${gtin(parts[0]!, parts[1]!)}/10/${parts[2]}`);
    case 'sscc':
      return dl(`00/${withCheck(parts[1]![0]! + parts[0]! + parts[1]!.slice(1))}`);
    case 'sgln': {
      const gln = withCheck(parts[0]! + parts[1]!);
      return dl(`414/${gln}${parts[2] && parts[2] !== '0' ? `/254/${parts[2]}` : ''}`);
    }
    case 'pgln':
      return dl(`417/${withCheck(parts[0]! + parts[1]!)}`);
    case 'grai':
      return dl(`8003/0${withCheck(parts[0]! + parts[1]!)}${parts[2] ?? ''}`);
    case 'giai':
      return dl(`8004/${parts[0]}${parts[1]}`);
    case 'gsrn':
      return dl(`8018/${withCheck(parts[0]! + parts[1]!)}`);
    case 'gsrnp':
      return dl(`8017/${withCheck(parts[0]! + parts[1]!)}`);
    case 'gdti':
      return dl(`253/${withCheck(parts[0]! + parts[1]!)}${parts[2] ?? ''}`);
    case 'ginc':
      return dl(`401/${parts[0]}${parts[1]}`);
    case 'gsin':
      return dl(`402/${withCheck(parts[0]! + parts[1]!)}`);
    default:
      return null;
  }
}

/** Appends the GS1 mod-10 check digit. */
function withCheck(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

function sorted(parts: string[]): string {
  return [...parts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('');
}
