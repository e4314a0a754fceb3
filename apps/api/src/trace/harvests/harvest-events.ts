import type { OrganicStatusVerdict, YieldCheck } from '@huuco/domain';
import type { EpcisEventBody } from '../events/event-store.js';
import {
  epcClassOfHarvest,
  eventTimeOn,
  kilograms,
  plotLocation,
  VIETNAM_OFFSET,
} from '../events/epcis.js';

export interface Commissioning {
  harvestId: string;
  harvestedOn: string;
  quantityKg: number;
  plotCode: string;
  category: string;
  verdict: Pick<OrganicStatusVerdict, 'status' | 'reason'>;
  lunarDate?: string | null;
  /** A first recording carries its yield check; a correction says it is one. */
  yieldCheck?: YieldCheck;
}

/** The EPCIS event that commissions a harvest, or corrects one: its first link in the trace. */
export function commissioningEvent(h: Commissioning): EpcisEventBody {
  return {
    type: 'ObjectEvent',
    eventTime: eventTimeOn(h.harvestedOn),
    eventTimeZoneOffset: VIETNAM_OFFSET,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    quantityList: [kilograms(epcClassOfHarvest(h.harvestId), h.quantityKg)],
    readPoint: { id: plotLocation(h.plotCode) },
    ilmd: {
      'cbvmda:harvestEndDate': h.harvestedOn,
      'cbvmda:countryOfOrigin': 'VN',
      'huuco:product': h.category,
      'huuco:organicStatus': h.verdict.status,
      'huuco:organicStatusReason': h.verdict.reason,
      ...(h.lunarDate && { 'huuco:lunarDate': h.lunarDate }),
    },
    ...(h.yieldCheck ? { 'huuco:yieldCheck': h.yieldCheck } : { 'huuco:correction': true }),
  };
}
