import {
  createZoneSchema,
  updateZoneSchema,
  zoneListQuerySchema,
  zoneStatusChangeSchema,
} from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateZoneDto extends zodDto('CreateZoneDto', createZoneSchema) {}
export class UpdateZoneDto extends zodDto('UpdateZoneDto', updateZoneSchema) {}
export class ZoneListQueryDto extends zodDto('ZoneListQuery', zoneListQuerySchema) {}
export class ZoneStatusChangeBody extends zodDto('ZoneStatusChangeInput', zoneStatusChangeSchema) {}
