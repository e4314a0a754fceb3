import { createUserSchema, updateUserSchema, userListQuerySchema } from '@huuco/domain';
import { zodDto } from '../../platform/http/zod-dto.js';

export class CreateUserDto extends zodDto('CreateUserDto', createUserSchema) {}
export class UpdateUserDto extends zodDto('UpdateUserDto', updateUserSchema) {}
export class UserListQueryDto extends zodDto('UserListQuery', userListQuerySchema) {}
