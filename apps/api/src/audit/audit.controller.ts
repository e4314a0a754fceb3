import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { auditQuerySchema } from '@huuco/domain';
import { Actor, Allow, CurrentActor } from '../auth/actor.js';
import { zodDto } from '../common/zod-dto.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto extends zodDto('AuditQuery', auditQuerySchema) {}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('audit.read')
  list(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto) {
    return this.audit.list(actor, query);
  }
}
