import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { loginSchema, refreshSchema, meDtoSchema, sessionDtoSchema } from '@huuco/domain';
import { Returns, zodDto } from '../../platform/http/zod-dto.js';
import { Actor, Allow, CurrentActor, Public } from './actor.js';
import { AuthService } from './auth.service.js';

class LoginDto extends zodDto('LoginDto', loginSchema) {}
class RefreshDto extends zodDto('RefreshDto', refreshSchema) {}

/** Limited per client address by the rate-limit plugin (LOGIN_RATE_LIMIT_PER_MINUTE). */
const LOGIN_LIMIT = { limitGroup: 'login' };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @RouteConfig(LOGIN_LIMIT)
  @Returns('SessionDto', sessionDtoSchema)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @RouteConfig(LOGIN_LIMIT)
  @Returns('SessionDto', sessionDtoSchema)
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  async logout(@Body() dto: RefreshDto) {
    await this.auth.logout(dto);
  }

  @Get('me')
  @Allow('account.read')
  @ApiBearerAuth()
  @Returns('MeDto', meDtoSchema)
  me(@CurrentActor() actor: Actor) {
    return this.auth.me(actor);
  }
}
