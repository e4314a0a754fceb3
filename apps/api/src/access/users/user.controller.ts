import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, Allow, CurrentActor } from '../auth/actor.js';
import { IdParam } from '../../platform/http/dto.js';
import { CreateUserDto, UpdateUserDto, UserListQueryDto } from './user.dto.js';
import { UserService } from './user.service.js';
import { Returns } from '../../platform/http/zod-dto.js';
import { pageSchema, userDtoSchema } from '@huuco/domain';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@Allow('users.manage')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get()
  @Returns('UserPage', pageSchema(userDtoSchema))
  list(@CurrentActor() actor: Actor, @Query() query: UserListQueryDto) {
    return this.users.list(actor, query);
  }

  @Post()
  @Returns('UserDto', userDtoSchema, 201)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Get(':id')
  @Returns('UserDto', userDtoSchema)
  get(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    return this.users.get(actor, id);
  }

  @Patch(':id')
  @Returns('UserDto', userDtoSchema)
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParam, @Body() dto: UpdateUserDto) {
    return this.users.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param() { id }: IdParam) {
    await this.users.remove(actor, id);
  }
}
