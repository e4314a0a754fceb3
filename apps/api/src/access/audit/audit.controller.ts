import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { auditQuerySchema, pageSchema, auditEntryDtoSchema } from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../auth/actor.js';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto extends zodDto('AuditQuery', auditQuerySchema) {}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('audit.read')
  @Returns('AuditPage', pageSchema(auditEntryDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto) {
    return this.audit.list(actor, query);
  }
}
