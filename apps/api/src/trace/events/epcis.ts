import type { StoredEvent } from './event-store.js';

/** How huuco names things in EPCIS: GS1 Digital Link where a GTIN exists, its own URNs elsewhere. */
export const EPCIS_NAMESPACES = { huuco: 'urn:huuco:voc:', cbvmda: 'urn:epcglobal:cbv:mda:' };
export const EPCIS_CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  EPCIS_NAMESPACES,
];

/** Vietnam keeps one offset all year. */
export const VIETNAM_OFFSET = '+07:00';

export const epcClassOfLot = (code: string, gtin: string | null) =>
  gtin
    ? `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(code)}`
    : `urn:huuco:lot:${encodeURIComponent(code)}`;
export const epcClassOfHarvest = (id: string) => `urn:huuco:harvest:${id}`;
export const plotLocation = (code: string) => `urn:huuco:plot:${encodeURIComponent(code)}`;
export const cooperativeLocation = (registrationNumber: string) =>
  `urn:huuco:cooperative:${encodeURIComponent(registrationNumber)}`;

/** Noon in Vietnam on a calendar date: when a day-level record happened. */
export function eventTimeOn(date: string): string {
  return new Date(`${date}T12:00:00${VIETNAM_OFFSET}`).toISOString();
}

export const kilograms = (epcClass: string, quantity: number) => ({
  epcClass,
  quantity,
  uom: 'KGM',
});

/** An EPCISDocument of stored events; corrected events carry their error declaration. */
export function epcisDocument(
  events: StoredEvent[],
  corrections: StoredEvent[],
  creationDate = new Date(),
) {
  const correctedBy = new Map<number, StoredEvent[]>();
  for (const correction of corrections) {
    const list = correctedBy.get(correction.correctsSeq!) ?? [];
    list.push(correction);
    correctedBy.set(correction.correctsSeq!, list);
  }
  return {
    '@context': EPCIS_CONTEXT,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: {
      eventList: events.map((event) => {
        const fixes = correctedBy.get(event.seq);
        return {
          eventID: event.eventId,
          ...event.body,
          recordTime: event.recordTime,
          ...(fixes && {
            errorDeclaration: {
              declarationTime: fixes[0]!.recordTime,
              reason: 'incorrect_data',
              correctiveEventIDs: fixes.map((f) => f.eventId),
            },
          }),
        };
      }),
    },
  };
}
