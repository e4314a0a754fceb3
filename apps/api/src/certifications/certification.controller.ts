import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/dto.js';
import { CertificationListQueryDto, CreateCertificationDto } from './certification.dto.js';
import { CertificationService } from './certification.service.js';

@ApiTags('certifications')
@Controller('certifications')
export class CertificationController {
  constructor(private readonly certifications: CertificationService) {}

  @Get()
  list(@Query() query: CertificationListQueryDto) {
    return this.certifications.list(query);
  }

  @Post()
  create(@Body() dto: CreateCertificationDto) {
    return this.certifications.create(dto);
  }

  @Get(':id')
  get(@Param() { id }: IdParam) {
    return this.certifications.get(id);
  }
}
