import {
  createHouseholdSchema,
  householdListQuerySchema,
  leaveHouseholdSchema,
  updateHouseholdSchema,
} from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateHouseholdDto extends zodDto('CreateHouseholdDto', createHouseholdSchema) {}
export class HouseholdListQueryDto extends zodDto('HouseholdListQuery', householdListQuerySchema) {}
export class UpdateHouseholdDto extends zodDto('UpdateHouseholdDto', updateHouseholdSchema) {}
export class LeaveHouseholdDto extends zodDto('LeaveHouseholdDto', leaveHouseholdSchema) {}
