import { z } from 'zod';
import { isoDateSchema, listQuerySchema, uuidSchema } from './common.js';

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
export const updateBuyerSchema = createBuyerSchema
  .omit({ registeredUnitId: true })
  .partial()
  .strict();
export type UpdateBuyerDto = z.infer<typeof updateBuyerSchema>;

export interface BuyerDto {
  id: string;
  name: string;
  taxCode: string;
  province: string;
  address: string | null;
  contacts: z.infer<typeof contact>[];
  registeredUnitId: string | null;
  isDemo: boolean;
}

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
    status: z.enum(ContractStatus).optional(),
    buyerId: uuidSchema.optional(),
    cooperativeId: uuidSchema.optional(),
    seasonId: uuidSchema.optional(),
  })
  .strict();
export type ContractListQuery = z.infer<typeof contractListQuerySchema>;

export interface ContractDto {
  id: string;
  number: string;
  buyerId: string;
  buyerName: string;
  cooperativeId: string;
  cooperativeName: string;
  seasonId: string;
  seasonLabel: string;
  productCategory: string;
  basis: ContractBasis;
  contractedKg: number | null;
  zoneId: string | null;
  plotIds: string[];
  priceVndPerKg: number;
  qualityTerms: string | null;
  status: ContractStatus;
  signedOn: string | null;
  document: { filename: string; contentType: string; sizeBytes: number; sha256: string } | null;
  fulfilment: FulfilmentDto;
  isDemo: boolean;
}

export interface FulfilmentDto {
  /** Quantity contracts: the quantity; whole-area contracts: null. */
  contractedKg: number | null;
  /** What the plots should give: area × expected yield for the product. */
  expectedKg: number;
  coveredAreaM2: number;
  deliveredKg: number;
  receivedKg: number;
  /** Delivered kg × price, in đồng. */
  deliveredValueVnd: number;
  /** Delivered against contracted (or expected) quantity. */
  share: number | null;
}

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

export interface DeliveryDto {
  id: string;
  contractId: string;
  contractNumber: string;
  buyerName: string;
  cooperativeName: string;
  deliveredOn: string;
  destination: string;
  status: 'shipped' | 'received';
  receivedOn: string | null;
  receivedBy: string | null;
  quantityKg: number;
  overContract: boolean;
  lots: {
    lotId: string;
    code: string;
    productNameVi: string;
    quantityKg: number;
    provenanceUrl: string;
  }[];
}

export const receiveDeliverySchema = z.object({ receivedOn: isoDateSchema }).strict();

export const fulfilmentQuerySchema = z
  .object({ seasonId: uuidSchema.optional(), cooperativeId: uuidSchema.optional() })
  .strict();

export interface FulfilmentRow extends FulfilmentDto {
  cooperativeId: string;
  cooperativeName: string;
  seasonId: string;
  seasonLabel: string;
  contracts: number;
}

export interface ContractCoverageDto {
  /** Certified organic plot area within the viewer's scope. */
  organicAreaM2: number;
  /** Of it, under a signed or active whole-area contract. */
  contractedAreaM2: number;
  share: number | null;
}
