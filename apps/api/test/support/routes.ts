import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Permission } from '@huuco/domain';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION } from '../../src/access/auth/actor.js';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Under /api/v1, with `:param` placeholders. */
  path: string;
  isPublic: boolean;
  permission: Permission | undefined;
}

/** Every route the API's controllers declare, read from the running application itself. */
export function apiRoutes(app: NestFastifyApplication): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        routes.push({
          method: verb as ApiRoute['method'],
          path,
          isPublic:
            Reflect.getMetadata(PUBLIC_ROUTE, handler) === true ||
            Reflect.getMetadata(PUBLIC_ROUTE, controller) === true,
          permission:
            Reflect.getMetadata(REQUIRED_PERMISSION, handler) ??
            Reflect.getMetadata(REQUIRED_PERMISSION, controller),
        });
      }
    }
  }
  return routes;
}

/** A concrete address for a route: ids that exist nowhere, names that are well formed. */
export function concretePath(path: string): string {
  return path
    .replace(':name.:format', 'lots.csv')
    .replace(/:[A-Za-z]+/g, '3f0c9a52-4d1e-4b8a-9a71-2b5c1d7e8f90');
}
