import { createHouseholdSchema, householdListQuerySchema } from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateHouseholdDto extends zodDto('CreateHouseholdDto', createHouseholdSchema) {}
export class HouseholdListQueryDto extends zodDto('HouseholdListQuery', householdListQuerySchema) {}
