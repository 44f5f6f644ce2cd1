import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { decodeCursor, pageSize, toConnection, userError, UserError, UserErrorCode, type Connection, type Context } from '@herethere/runtime';
import { actorOf, adminOf } from '../actor';
import { AdminRoleEnum, AdminUser, AdminUserConnection } from './entity';
import { adminUserById, countAdminUsers, deleteAdminUser, insertAdminUser, listAdminUsers, updateAdminUser, type AdminUserRow, type Result } from './data';
import { emailProblem } from './validation';

@InputType()
class AdminUserCreateInput {
  @Field(() => String, { description: '3 to 40 letters, digits, dots, underscores or hyphens; unique regardless of case.' }) username!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { description: '12 to 256 characters. Stored only as an argon2id hash.' }) password!: string;
  @Field(() => AdminRoleEnum) role!: AdminRoleEnum;
}

@ObjectType()
class AdminUserCreatePayload {
  @Field(() => AdminUser, { nullable: true }) adminUser?: AdminUserRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
class AdminUserUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => AdminRoleEnum, { nullable: true }) role?: AdminRoleEnum | null;
  @Field(() => Boolean, { nullable: true, description: 'Disabling revokes every session of the user.' }) disabled?: boolean | null;
}

@ObjectType()
class AdminUserUpdatePayload {
  @Field(() => AdminUser, { nullable: true }) adminUser?: AdminUserRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
class AdminUserDeleteInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class AdminUserDeletePayload {
  @Field(() => ID, { nullable: true }) deletedAdminUserId?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

const payload = (result: Result<AdminUserRow>) => (result.ok ? { adminUser: result.value, userErrors: [] } : { adminUser: null, userErrors: result.errors });

/** Admin accounts: any admin sees them, only owners change them, every change is audited. */
@Resolver(() => AdminUser)
export class AdminUserResolver {
  @Authorized('admin')
  @Query(() => AdminUser, { nullable: true, description: 'The signed-in admin.' })
  async adminMe(@Ctx() ctx: Context): Promise<AdminUserRow | null> {
    return adminUserById(ctx).load(adminOf(ctx).adminUserId);
  }

  @Authorized('admin:viewer')
  @Query(() => AdminUserConnection)
  async adminUsers(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<Connection<AdminUserRow>> {
    const limit = pageSize(first);
    const [rows, total] = await Promise.all([listAdminUsers(ctx, limit, decodeCursor(after)), countAdminUsers(ctx)]);
    return toConnection(rows, limit, (r) => r.id, total, Boolean(after));
  }

  @Authorized('admin:owner')
  @Mutation(() => AdminUserCreatePayload)
  async adminUserCreate(@Arg('input', () => AdminUserCreateInput) input: AdminUserCreateInput, @Ctx() ctx: Context): Promise<AdminUserCreatePayload> {
    return payload(await insertAdminUser(ctx.db.db, input, actorOf(ctx)));
  }

  @Authorized('admin:owner')
  @Mutation(() => AdminUserUpdatePayload, { description: 'Changes email, role or disabled. The last active owner cannot be demoted or disabled.' })
  async adminUserUpdate(@Arg('input', () => AdminUserUpdateInput) input: AdminUserUpdateInput, @Ctx() ctx: Context): Promise<AdminUserUpdatePayload> {
    if (input.email == null && input.role == null && input.disabled == null) {
      return { adminUser: null, userErrors: [userError(UserErrorCode.INVALID, 'Give at least one of email, role or disabled', ['input'])] };
    }
    if (input.email != null) {
      const problem = emailProblem(input.email.trim());
      if (problem) return { adminUser: null, userErrors: [userError(UserErrorCode.INVALID, problem, ['input', 'email'])] };
    }
    return payload(await updateAdminUser(ctx.db.db, actorOf(ctx), input.id, { email: input.email, role: input.role, disabled: input.disabled }));
  }

  @Authorized('admin:owner')
  @Mutation(() => AdminUserDeletePayload, { description: 'Disables the account and revokes its sessions; the row stays for the audit trail.' })
  async adminUserDelete(@Arg('input', () => AdminUserDeleteInput) input: AdminUserDeleteInput, @Ctx() ctx: Context): Promise<AdminUserDeletePayload> {
    if (input.id === adminOf(ctx).adminUserId) {
      return { deletedAdminUserId: null, userErrors: [userError(UserErrorCode.FORBIDDEN, 'You cannot delete your own account', ['input', 'id'])] };
    }
    const result = await deleteAdminUser(ctx.db.db, actorOf(ctx), input.id);
    return result.ok ? { deletedAdminUserId: result.value.id, userErrors: [] } : { deletedAdminUserId: null, userErrors: result.errors };
  }

  @FieldResolver(() => Boolean, { description: 'True once the account is disabled or deleted; it can no longer sign in.' })
  disabled(@Root() user: AdminUserRow): boolean {
    return user.disabledAt != null;
  }
}
