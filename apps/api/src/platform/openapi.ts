import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { dtoJsonSchemas } from './http/zod-dto.js';

/** OpenAPI document at /api/docs-json and its UI at /api/docs; DTO schemas come from zod. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('huuco API')
    .setDescription(
      'Organic zones, cooperatives, households and plots, and the trace from plot to bag. ' +
        'Errors always answer { statusCode, code, message, errors? }.',
    )
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ...(dtoJsonSchemas() as object) };
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
