import {
  cooperativeListQuerySchema,
  cooperativeStatusChangeSchema,
  createCooperativeSchema,
  updateCooperativeSchema,
} from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateCooperativeDto extends zodDto('CreateCooperativeDto', createCooperativeSchema) {}
export class UpdateCooperativeDto extends zodDto('UpdateCooperativeDto', updateCooperativeSchema) {}
export class CooperativeListQueryDto extends zodDto(
  'CooperativeListQuery',
  cooperativeListQuerySchema,
) {}
export class CooperativeStatusChangeBody extends zodDto(
  'CooperativeStatusChangeInput',
  cooperativeStatusChangeSchema,
) {}
