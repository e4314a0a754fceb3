import {
  FarmingSystem,
  organicStatusVerdictSchema,
  plotFeaturePropertiesSchema,
} from '@huuco/domain';
import { z } from 'zod';

/** Answers that only the API gives, in the same zod form as the shared contracts. */

export const healthSchema = z
  .object({
    status: z.literal('ok'),
    database: z.enum(['embedded', 'postgres']),
    schemaVersion: z.string().nullable(),
    demoData: z.boolean(),
    map: z.object({ tileUrl: z.string().nullable(), tileAttribution: z.string() }).strict(),
  })
  .strict();

export const plotFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    truncated: z.boolean(),
    features: z.array(
      z
        .object({
          type: z.literal('Feature'),
          id: z.string(),
          geometry: z.unknown(),
          properties: plotFeaturePropertiesSchema,
        })
        .strict(),
    ),
  })
  .strict();

export const plotStatusSchema = organicStatusVerdictSchema.extend({ plotId: z.string() }).strict();

export const plotRevisionSchema = z
  .object({
    plotId: z.string(),
    revision: z.number().int(),
    geometry: z.unknown(),
    areaM2: z.number(),
    zoneId: z.string().nullable(),
    farmingSystem: z.enum(FarmingSystem),
    conversionStartedOn: z.string().nullable(),
    declaredAreaM2: z.number().nullable(),
    retiredOn: z.string().nullable(),
    retiredReason: z.string().nullable(),
    recordedAt: z.string(),
  })
  .strict();

/** An event as stored: its EPCIS body and the chain link that seals it. */
export const storedEventSchema = z
  .object({
    seq: z.number().int(),
    eventId: z.string(),
    recordTime: z.string(),
    body: z.looseObject({ type: z.string(), eventTime: z.string(), bizStep: z.string() }),
    lotIds: z.array(z.string()),
    cooperativeId: z.string().nullable(),
    actorUsername: z.string(),
    why: z.string().nullable(),
    correctsSeq: z.number().int().nullable(),
    prevHash: z.string().nullable(),
    hash: z.string().nullable(),
  })
  .strict();

/** The outline of an EPCIS 2.0 document; the events follow GS1's own schema (tested with it). */
export const epcisDocumentSchema = z.looseObject({
  '@context': z.unknown(),
  type: z.literal('EPCISDocument'),
  schemaVersion: z.literal('2.0'),
  creationDate: z.string(),
  epcisBody: z.looseObject({ eventList: z.array(z.looseObject({ type: z.string() })) }),
});

export const revealedIdSchema = z.object({ id: z.string(), idNumber: z.string() }).strict();
