import { Body, Controller, Get, Headers, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { documentFrom } from '../../platform/files/attached-document.js';
import { sendDocument } from '../../platform/files/document-store.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../../access/auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import {
  CertificateDecisionBody,
  CertificationListQueryDto,
  CreateCertificationDto,
} from './certification.dto.js';
import { CertificationService } from './certification.service.js';
import { Returns, ReturnsFile } from '../../platform/http/zod-dto.js';
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

  /** The certificate as the body issued it: the file itself as the body (PDF, JPEG or PNG), its name in `x-filename`. */
  @Put(':id/document')
  @Allow('certifications.write')
  @Returns('CertificationDto', certificationDtoSchema)
  attach(
    @CurrentActor() actor: Actor,
    @Param() { id }: IdParam,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-filename') filename: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    return this.certifications.attach(
      actor,
      id,
      documentFrom(
        request,
        { contentType, filename },
        { fallbackName: 'chung-nhan', description: 'The certificate' },
      ),
    );
  }

  @Get(':id/document')
  @Allow('registry.read')
  @ReturnsFile('application/pdf', 'image/jpeg', 'image/png')
  async document(@Param() { id }: IdParam, @Res() reply: FastifyReply) {
    return sendDocument(reply, await this.certifications.document(id), 'inline');
  }

  @Get(':id/status-changes')
  @Allow('registry.read')
  @Returns('CertificateDecisionList', z.array(certificateDecisionDtoSchema))
  decisions(@Param() { id }: IdParam) {
    return this.certifications.decisions(id);
  }
}
