import { z } from 'zod';
import { isoDateSchema, listQuerySchema, patchSchema, uuidSchema } from './common.js';

/** Mã số thuế: ten digits, or ten and a three-digit branch suffix. */
export const taxCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{10}(-[0-9]{3})?$/, {
    message: 'A tax code (MST) is 10 digits, or 10-3 for a branch.',
  });

const contact = z
  .object({
    name: z.string().trim().min(2).max(120),
    role: z.string().trim().max(120).nullable().default(null),
    phone: z
      .string()
      .trim()
      .regex(/^(\+84|0)[0-9]{9,10}$/, { message: 'A Vietnamese phone number.' })
      .nullable()
      .default(null),
    email: z.email().nullable().default(null),
  })
  .strict();

export const createBuyerSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    taxCode: taxCodeSchema,
    province: z.string().trim().min(2).max(120),
    address: z.string().trim().max(300).nullable().default(null),
    contacts: z.array(contact).max(10).default([]),
    /** The district or province registering it; by default the registering user's first unit. */
    registeredUnitId: z.uuid().optional(),
  })
  .strict();
export type CreateBuyerDto = z.infer<typeof createBuyerSchema>;
export const updateBuyerSchema = patchSchema(createBuyerSchema.omit({ registeredUnitId: true }));
export type UpdateBuyerDto = z.infer<typeof updateBuyerSchema>;

export const buyerDtoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    taxCode: z.string(),
    province: z.string(),
    address: z.string().nullable(),
    contacts: z.array(contact),
    registeredUnitId: z.string().nullable(),
    isDemo: z.boolean(),
  })
  .strict();
export type BuyerDto = z.infer<typeof buyerDtoSchema>;

export const buyerListQuerySchema = listQuerySchema(['name', 'province'])
  .extend({
    /** Part of the buyer's name or tax code. */
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export type BuyerListQuery = z.infer<typeof buyerListQuerySchema>;

export const ContractStatus = ['draft', 'signed', 'active', 'fulfilled', 'cancelled'] as const;
export type ContractStatus = (typeof ContractStatus)[number];

/** Where a contract may go from each status. Fulfilled and cancelled are final. */
export const CONTRACT_TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  draft: ['signed', 'cancelled'],
  signed: ['active', 'cancelled'],
  active: ['fulfilled', 'cancelled'],
  fulfilled: [],
  cancelled: [],
};

export const ContractBasis = ['quantity', 'whole_area'] as const;
export type ContractBasis = (typeof ContractBasis)[number];

export const createContractSchema = z
  .object({
    number: z.string().trim().min(2).max(60),
    buyerId: uuidSchema,
    cooperativeId: uuidSchema,
    seasonId: uuidSchema,
    /** The product category bought: paddy, white rice, rươi… */
    productCategory: z.string().min(2).max(20),
    basis: z.enum(ContractBasis),
    /** For `quantity` contracts. */
    contractedKg: z.number().positive().max(100_000_000).nullable().default(null),
    /** For `whole_area` contracts: the organic area of a zone, or listed plots. */
    zoneId: uuidSchema.nullable().default(null),
    plotIds: z.array(uuidSchema).max(10_000).default([]),
    /** Đồng per kg, whole đồng. */
    priceVndPerKg: z.number().int().min(1).max(100_000_000),
    qualityTerms: z.string().trim().max(2_000).nullable().default(null),
    signedOn: isoDateSchema.nullable().default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.basis === 'quantity' && c.contractedKg === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['contractedKg'],
        message: 'A quantity contract says how many kg.',
      });
    }
    if (c.basis === 'whole_area' && c.zoneId === null && c.plotIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['zoneId'],
        message: 'A whole-area contract names a zone or plots.',
      });
    }
  });
export type CreateContractDto = z.infer<typeof createContractSchema>;

export const contractStatusChangeSchema = z
  .object({
    status: z.enum(ContractStatus),
    /** Required when signing. */
    signedOn: isoDateSchema.optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type ContractStatusChangeDto = z.infer<typeof contractStatusChangeSchema>;

export const contractListQuerySchema = listQuerySchema(['createdAt', 'number'])
  .extend({
    /** Part of the contract's number, or of its buyer's or cooperative's name. */
    q: z.string().trim().max(100).optional(),
    status: z.enum(ContractStatus).optional(),
    buyerId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    seasonId: uuidSchema.optional(),
  })
  .strict();
export type ContractListQuery = z.infer<typeof contractListQuerySchema>;

export const fulfilmentDtoSchema = z
  .object({
    /** Quantity contracts: the quantity; whole-area contracts: null. */
    contractedKg: z.number().nullable(),
    /** What the plots should give: area × expected yield for the product. */
    expectedKg: z.number(),
    coveredAreaM2: z.number(),
    deliveredKg: z.number(),
    receivedKg: z.number(),
    /** Delivered kg × price, in đồng. */
    deliveredValueVnd: z.number(),
    /** Delivered against contracted (or expected) quantity. */
    share: z.number().nullable(),
  })
  .strict();
export type FulfilmentDto = z.infer<typeof fulfilmentDtoSchema>;

export const contractDtoSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    buyerId: z.string(),
    buyerName: z.string(),
    cooperativeId: z.string(),
    cooperativeName: z.string(),
    seasonId: z.string(),
    seasonLabel: z.string(),
    productCategory: z.string(),
    basis: z.enum(ContractBasis),
    contractedKg: z.number().nullable(),
    zoneId: z.string().nullable(),
    plotIds: z.array(z.string()),
    priceVndPerKg: z.number(),
    qualityTerms: z.string().nullable(),
    status: z.enum(ContractStatus),
    signedOn: z.string().nullable(),
    document: z
      .object({
        filename: z.string(),
        contentType: z.string(),
        sizeBytes: z.number().int(),
        sha256: z.string(),
      })
      .strict()
      .nullable(),
    fulfilment: fulfilmentDtoSchema,
    isDemo: z.boolean(),
  })
  .strict();
export type ContractDto = z.infer<typeof contractDtoSchema>;

export const createDeliverySchema = z
  .object({
    contractId: uuidSchema,
    deliveredOn: isoDateSchema,
    destination: z.string().trim().min(2).max(300),
    lots: z
      .array(
        z.object({ lotId: uuidSchema, quantityKg: z.number().positive().max(10_000_000) }).strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();
export type CreateDeliveryDto = z.infer<typeof createDeliverySchema>;

export const deliveryListQuerySchema = listQuerySchema(['deliveredOn', 'createdAt'])
  .extend({ contractId: uuidSchema.optional(), status: z.enum(['shipped', 'received']).optional() })
  .strict();
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;

export const deliveryDtoSchema = z
  .object({
    id: z.string(),
    contractId: z.string(),
    contractNumber: z.string(),
    buyerName: z.string(),
    cooperativeName: z.string(),
    deliveredOn: z.string(),
    destination: z.string(),
    status: z.enum(['shipped', 'received']),
    receivedOn: z.string().nullable(),
    receivedBy: z.string().nullable(),
    quantityKg: z.number(),
    overContract: z.boolean(),
    lots: z.array(
      z
        .object({
          lotId: z.string(),
          code: z.string(),
          productNameVi: z.string(),
          quantityKg: z.number(),
          provenanceUrl: z.string(),
        })
        .strict(),
    ),
  })
  .strict();
export type DeliveryDto = z.infer<typeof deliveryDtoSchema>;

export const receiveDeliverySchema = z.object({ receivedOn: isoDateSchema }).strict();

export const fulfilmentQuerySchema = z
  .object({ seasonId: uuidSchema.optional(), cooperativeId: uuidSchema.optional() })
  .strict();

export const fulfilmentRowSchema = fulfilmentDtoSchema
  .extend({
    cooperativeId: z.string(),
    cooperativeName: z.string(),
    seasonId: z.string(),
    seasonLabel: z.string(),
    contracts: z.number().int(),
  })
  .strict();
export type FulfilmentRow = z.infer<typeof fulfilmentRowSchema>;

export const contractCoverageDtoSchema = z
  .object({
    /** Certified organic plot area within the viewer's scope. */
    organicAreaM2: z.number(),
    /** Of it, under a signed or active whole-area contract. */
    contractedAreaM2: z.number(),
    share: z.number().nullable(),
  })
  .strict();
export type ContractCoverageDto = z.infer<typeof contractCoverageDtoSchema>;
