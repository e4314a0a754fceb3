import {
  applyDecorators,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';
import { traceNodeSchema, type FieldError } from '@huuco/domain';
import { z, type ZodType } from 'zod';
import { DomainError } from './domain-error.js';

export interface ZodDtoClass<S extends ZodType = ZodType> {
  new (): z.infer<S>;
  readonly schema: S;
}

const registry = new Map<string, ZodType>();
/** Answers, by name: one zod registry, so a schema used inside another is a `$ref` to it. */
const responses = z.registry<{ id: string }>();
responses.add(traceNodeSchema, { id: 'TraceNode' });

/**
 * A class standing for a zod schema from @huuco/domain, so controllers read
 * `@Body() dto: CreatePlotDto` and the OpenAPI document shows the schema.
 */
export function zodDto<S extends ZodType>(name: string, schema: S): ZodDtoClass<S> {
  const dto = class {
    static readonly schema = schema;

    /**
     * Read by @nestjs/swagger: each field of the schema as an OpenAPI property, so a query or
     * path DTO lists its parameters one by one. Generated from the zod schema the server
     * validates with, never written twice.
     */
    static _OPENAPI_METADATA_FACTORY(): Record<string, object> {
      return openApiProperties(schema);
    }
  } as unknown as ZodDtoClass<S>;
  Object.defineProperty(dto, 'name', { value: name });
  registry.set(name, schema);
  return dto;
}

const jsonSchemaOf = (schema: ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };

/** The schema's top-level fields as swagger property options (required, type, enum, format…). */
export function openApiProperties(schema: ZodType): Record<string, object> {
  const json = jsonSchemaOf(schema);
  const required = new Set(json.required ?? []);
  return Object.fromEntries(
    Object.entries(json.properties ?? {}).map(([key, property]) => {
      const { default: fallback, ...rest } = property;
      return [
        key,
        {
          ...rest,
          ...(fallback !== undefined && { default: fallback }),
          // A field with a default is optional to the caller, whatever the parsed type says.
          required: required.has(key) && fallback === undefined,
          type: rest['type'] ?? (rest['properties'] ? 'object' : 'string'),
        },
      ];
    }),
  );
}

/**
 * What a route answers, as a zod schema from @huuco/domain: the OpenAPI document shows it under
 * `name`, and the response test validates real answers against it.
 */
export function Returns(name: string, schema: ZodType, status = 200): MethodDecorator {
  const known = responses.get(schema);
  if (known && known.id !== name) throw new Error(`${name} is already named ${known.id}`);
  if (!known) responses.add(schema, { id: name });
  return ApiResponse({
    status,
    description: name,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
  });
}

/** A route that answers a file (PDF, image, spreadsheet) rather than JSON. */
export function ReturnsFile(...contentTypes: string[]): MethodDecorator {
  return applyDecorators(
    ApiProduces(...contentTypes),
    ApiResponse({
      status: 200,
      description: 'The file itself.',
      content: Object.fromEntries(
        contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
      ),
    }),
  );
}

/** JSON Schemas of every DTO and answer, for the OpenAPI document's components. */
export function dtoJsonSchemas(): Record<string, unknown> {
  const answers = z.toJSONSchema(responses, {
    io: 'output',
    unrepresentable: 'any',
    target: 'openapi-3.0',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas;
  // Cycles zod could not name land in `__shared`: give each definition a component of its own.
  const { __shared: shared, ...named } = answers as Record<string, { definitions?: object }>;
  const hoisted = Object.fromEntries(
    Object.entries(shared?.definitions ?? {}).map(([key, value]) => [`Shared_${key}`, value]),
  );
  const text = JSON.stringify({ ...named, ...hoisted })
    .replace(/#\/components\/schemas\/__shared#\/definitions\//g, '#/components/schemas/Shared_')
    .replace(/"\$id":"[^"]*",?/g, '');
  return {
    ...Object.fromEntries([...registry].map(([name, schema]) => [name, jsonSchemaOf(schema)])),
    ...(JSON.parse(text) as Record<string, unknown>),
  };
}

export function toFieldErrors(error: z.ZodError, input: unknown): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        code: 'UNKNOWN_FIELD',
        message: 'This field is not accepted.',
      }));
    }
    const missing = issue.code !== 'custom' && valueAt(input, issue.path) === undefined;
    return [
      {
        path: base || '(body)',
        code: missing ? 'REQUIRED' : issue.code.toUpperCase(),
        message: missing ? 'This field is required.' : issue.message,
      },
    ];
  });
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function hasSchema(metatype: unknown): metatype is ZodDtoClass {
  return typeof metatype === 'function' && 'schema' in metatype;
}

/** Validates every body, query and param declared with a `zodDto` class. */
@Injectable()
export class ZodValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!hasSchema(metadata.metatype)) return value;
    const input = metadata.type === 'body' && value === undefined ? {} : value;
    const parsed = metadata.metatype.schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const where = metadata.type === 'body' ? 'body' : metadata.type;
    throw new DomainError(
      'VALIDATION_FAILED',
      `The request ${where} is not valid.`,
      toFieldErrors(parsed.error, input),
    );
  }
}
