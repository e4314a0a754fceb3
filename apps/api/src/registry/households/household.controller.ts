import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  consentSchema,
  revealIdSchema,
  uuidSchema,
  pageSchema,
  householdDtoSchema,
  householdRevisionDtoSchema,
  consentRecordDtoSchema,
} from '@huuco/domain';
import { z } from 'zod';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import {
  CreateHouseholdDto,
  HouseholdListQueryDto,
  LeaveHouseholdDto,
  UpdateHouseholdDto,
} from './household.dto.js';
import { HouseholdService } from './household.service.js';
import { revealedIdSchema } from '../../platform/http/responses.js';

class RevealIdDto extends zodDto('RevealIdDto', revealIdSchema) {}
class ConsentDto extends zodDto('ConsentDto', consentSchema) {}
class ConsentParam extends zodDto(
  'ConsentParam',
  z.object({ id: uuidSchema, consentId: uuidSchema }).strict(),
) {}

@ApiTags('households')
@ApiBearerAuth()
@Controller('households')
export class HouseholdController {
  constructor(private readonly households: HouseholdService) {}

  @Get()
  @Allow('households.read')
  @Returns('HouseholdPage', pageSchema(householdDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: HouseholdListQueryDto) {
    return this.households.list(actor, query);
  }

  @Post()
  @Allow('households.write')
  @Returns('HouseholdDto', householdDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateHouseholdDto) {
    return this.households.create(actor, dto);
  }

  @Get(':id')
  @Allow('households.read')
  @Returns('HouseholdDto', householdDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.households.get(actor, id);
  }

  /** The full ID number, for a stated reason that goes into the audit trail. */
  @Post(':id/reveal-id')
  @HttpCode(200)
  @Allow('households.revealId')
  @Returns('RevealedId', revealedIdSchema)
  revealId(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: RevealIdDto) {
    return this.households.revealId(actor, id, dto.reason);
  }

  @Get(':id/revisions')
  @Allow('households.read')
  @Returns('HouseholdRevisionList', z.array(householdRevisionDtoSchema))
  revisions(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.households.revisions(actor, id);
  }

  @Get(':id/consents')
  @Allow('households.read')
  @Returns('ConsentRecordList', z.array(consentRecordDtoSchema))
  consents(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.households.consents(actor, id);
  }

  @Post(':id/consents')
  @Allow('households.write')
  @Returns('ConsentRecordDto', consentRecordDtoSchema, 201)
  recordConsent(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: ConsentDto) {
    return this.households.recordConsent(actor, id, dto);
  }

  @Post(':id/consents/:consentId/revoke')
  @HttpCode(200)
  @Allow('households.write')
  @Returns('ConsentRecordDto', consentRecordDtoSchema)
  revokeConsent(@CurrentActor() actor: Actor, @Param() { id, consentId }: ConsentParam) {
    return this.households.revokeConsent(actor, id, consentId);
  }

  /** Name, phone or village corrected. */
  @Patch(':id')
  @Allow('households.write')
  @Returns('HouseholdDto', householdDtoSchema)
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdateHouseholdDto) {
    return this.households.update(actor, id, dto);
  }

  /** The household left the cooperative on a date: nothing is recorded for it after. */
  @Post(':id/leave')
  @HttpCode(200)
  @Allow('households.write')
  @Returns('HouseholdDto', householdDtoSchema)
  leave(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: LeaveHouseholdDto) {
    return this.households.leave(actor, id, dto);
  }
}
