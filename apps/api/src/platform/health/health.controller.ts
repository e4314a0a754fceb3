import { Controller, Get } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Public } from '../../access/auth/actor.js';
import { AppConfig } from '../config/app-config.js';
import { Returns } from '../http/zod-dto.js';
import { healthSchema } from '../http/responses.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Public()
  @RouteConfig({ limitGroup: 'public' })
  @Returns('Health', healthSchema)
  async health() {
    const [last] = await this.dataSource.query<{ name: string }[]>(
      'SELECT name FROM migrations ORDER BY id DESC LIMIT 1',
    );
    const [demo] = await this.dataSource.query<{ present: boolean }[]>(
      'SELECT EXISTS (SELECT 1 FROM zones WHERE is_demo) AS present',
    );
    return {
      status: 'ok',
      database: this.config.databaseKind,
      schemaVersion: last?.name ?? null,
      demoData: demo?.present ?? false,
      map: {
        tileUrl: this.config.mapTileUrl || null,
        tileAttribution: this.config.mapTileAttribution,
      },
    };
  }
}
