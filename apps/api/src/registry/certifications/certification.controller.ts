import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import {
  CertificateDecisionBody,
  CertificationListQueryDto,
  CreateCertificationDto,
} from './certification.dto.js';
import { CertificationService } from './certification.service.js';
import { Returns } from '../../platform/http/zod-dto.js';
import { z } from 'zod';
import { certificateDecisionDtoSchema, certificationDtoSchema, pageSchema } from '@huuco/domain';

@ApiTags('certifications')
@ApiBearerAuth()
@Controller('certifications')
export class CertificationController {
  constructor(private readonly certifications: CertificationService) {}

  @Get()
  @Allow('registry.read')
  @Returns('CertificationPage', pageSchema(certificationDtoSchema))
  list(@Query() query: CertificationListQueryDto) {
    return this.certifications.list(query);
  }

  @Post()
  @Allow('certifications.write')
  @Returns('CertificationDto', certificationDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCertificationDto) {
    return this.certifications.create(actor, dto);
  }

  @Get(':id')
  @Allow('registry.read')
  @Returns('CertificationDto', certificationDtoSchema)
  get(@Param() { id }: IdParam) {
    return this.certifications.get(id);
  }

  /** The certification body suspended, withdrew or reinstated the certificate, from a date. */
  @Post(':id/status-changes')
  @Allow('certifications.write')
  @Returns('CertificateDecisionDto', certificateDecisionDtoSchema, 201)
  decide(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Body() dto: CertificateDecisionBody,
  ) {
    return this.certifications.decide(actor, id, dto);
  }

  @Get(':id/status-changes')
  @Allow('registry.read')
  @Returns('CertificateDecisionList', z.array(certificateDecisionDtoSchema))
  decisions(@Param() { id }: IdParam) {
    return this.certifications.decisions(id);
  }
}
