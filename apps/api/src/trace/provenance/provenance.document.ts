import type { PageLog } from '../log/log-tree.service.js';
import type {
  LotProcess,
  LotStatus,
  OrganicStatus,
  ProductCategory,
  SeasonName,
} from '@huuco/domain';

/** What the public page of a lot says, kept per lot and updated by the events that change it. */
export interface ProvenanceDocument {
  /** Demo data is said to be demo data wherever it shows. */
  demo: boolean;
  lot: {
    code: string;
    product: { vi: string; en: string; category: ProductCategory };
    gtin: string | null;
    quantityKg: number;
    organic: boolean;
    status: LotStatus;
    producedOn: string;
    recalledAt: string | null;
    recallReason: string | null;
    recalledBecauseOf: string | null;
  };
  season: { year: number; name: SeasonName } | null;
  harvest: { from: string; to: string; lunarDates: string[]; quantityKg: number } | null;
  cooperative: {
    name: string;
    registrationNumber: string;
    commune: string;
    province: string | null;
  };
  /**
   * Today's story beside the verdict at harvest time: the zone suspended, or a certificate
   * suspended or withdrawn, since the lot was made.
   */
  notices?: {
    kind: 'zone_suspended' | 'certificate_suspended' | 'certificate_withdrawn';
    subject: string;
    since: string;
    reason: string;
  }[];
  zones: {
    code: string;
    name: string;
    certificates: {
      number: string;
      body: string;
      standard: string;
      guaranteeType: string;
      validFrom: string;
      validTo: string;
      /** Valid on every harvest date of this lot's plots in this zone. */
      validOnHarvestDates: boolean;
    }[];
  }[];
  plots: {
    code: string;
    areaM2: number;
    zoneCode: string | null;
    harvestedOn: string;
    quantityKg: number;
    organicStatus: OrganicStatus;
    /** The household head's name, only with recorded consent to public display. */
    household: string | null;
  }[];
  /** A small static outline map of the plots, as SVG: no tile server needed. */
  outlineSvg: string | null;
  steps: {
    process: LotProcess;
    date: string;
    inputKg: number;
    outputs: { code: string; product: ProductCategory; quantityKg: number }[];
  }[];
  delivery: {
    buyer: string;
    contract: string;
    deliveredOn: string;
    receivedOn: string | null;
  } | null;
  ocop: { stars: number; validTo: string } | null;
  /**
   * The digital product passport (Decree 37/2026): the fields a passport reader looks for, under
   * their own names, from the same records as the rest of the page.
   */
  passport?: {
    /** The lot's unique identifier: its GS1 Digital Link with a GTIN, its huuco URN without. */
    identifier: string;
    name: { vi: string; en: string };
    gtin: string | null;
    maker: { name: string; registrationNumber: string; commune: string; province: string | null };
    origin: { country: 'VN'; province: string | null; commune: string; zones: string[] };
    certificates: {
      number: string;
      body: string;
      standard: string;
      validFrom: string;
      validTo: string;
    }[];
    dates: { harvestedFrom: string | null; harvestedTo: string | null; producedOn: string };
    /** The trace: its steps, and the IDs of its events in the public log (CBV 2.0 hashes). */
    trace: { steps: number; eventIds: string[] };
  };
  /** What partners recorded of the lot through EPCIS capture: a buyer's receiving, a mill's step. */
  partnerEvents?: { bizStep: string; eventTime: string; by: string }[];
  /** The lot's events in huuco's public log, with proofs against one signed checkpoint. */
  log?: PageLog;
  updatedAt: string;
}
