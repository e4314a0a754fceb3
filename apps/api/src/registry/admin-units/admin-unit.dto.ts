import {
  adminUnitListQuerySchema,
  createAdminUnitSchema,
  createSuccessionSchema,
} from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateAdminUnitDto extends zodDto('CreateAdminUnitDto', createAdminUnitSchema) {}
export class AdminUnitListQueryDto extends zodDto('AdminUnitListQuery', adminUnitListQuerySchema) {}
export class CreateSuccessionDto extends zodDto('CreateSuccessionDto', createSuccessionSchema) {}
