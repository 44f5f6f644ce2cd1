import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { checkTemplate, shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { NotificationTemplate, NotificationTemplateTypeEnum, TemplateChannelEnum } from './entity';
import { deleteTemplate, listTemplates, merchantLanguages, upsertTemplate, type TemplateRow } from './data';

@InputType()
class NotificationTemplateUpsertInput {
  @Field(() => NotificationTemplateTypeEnum) type!: NotificationTemplateTypeEnum;
  @Field(() => TemplateChannelEnum) channel!: TemplateChannelEnum;
  @Field(() => String, { description: 'One of the shop’s languages.' }) language!: string;
  @Field(() => String, { nullable: true, description: 'Required for email, not allowed for SMS.' }) subject?: string | null;
  @Field(() => String) body!: string;
}

@InputType()
class NotificationTemplateDeleteInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class NotificationTemplateUpsertPayload {
  @Field(() => NotificationTemplate, { nullable: true }) template?: NotificationTemplate | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
class NotificationTemplateDeletePayload {
  @Field(() => ID, { nullable: true }) deletedTemplateId?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

const asEntity = (row: TemplateRow): NotificationTemplate => Object.assign(new NotificationTemplate(), row);

@Resolver(() => NotificationTemplate)
export class NotificationTemplateResolver {
  @Authorized('merchant')
  @Query(() => [NotificationTemplate], { description: 'The shop’s message templates (built-in wording applies where none is saved).' })
  async notificationTemplates(
    @Ctx() ctx: Context,
    @Arg('type', () => NotificationTemplateTypeEnum, { nullable: true }) type?: NotificationTemplateTypeEnum,
    @Arg('channel', () => TemplateChannelEnum, { nullable: true }) channel?: TemplateChannelEnum,
    @Arg('language', () => String, { nullable: true }) language?: string,
  ): Promise<NotificationTemplate[]> {
    const rows = await listTemplates(ctx, shopOf(ctx, 'merchant').merchantId, { type: type as never, channel: channel as never, language });
    return rows.map(asEntity);
  }

  @Authorized('merchant')
  @Mutation(() => NotificationTemplateUpsertPayload, { description: 'Saves the wording of one message for one channel and language.' })
  async notificationTemplateUpsert(@Arg('input', () => NotificationTemplateUpsertInput) input: NotificationTemplateUpsertInput, @Ctx() ctx: Context): Promise<NotificationTemplateUpsertPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const errors: UserError[] = [];
    const languages = await merchantLanguages(ctx, merchantId);
    if (!languages.includes(input.language)) errors.push(userError(UserErrorCode.INVALID, `language must be one of the shop’s languages (${languages.join(', ')})`, ['input', 'language']));
    const subject = input.subject?.trim() || null;
    if (input.channel === TemplateChannelEnum.EMAIL && (!subject || subject.length > 200)) errors.push(userError(UserErrorCode.INVALID, 'An email template needs a subject of 1 to 200 characters', ['input', 'subject']));
    if (input.channel === TemplateChannelEnum.SMS && subject) errors.push(userError(UserErrorCode.INVALID, 'An SMS template has no subject', ['input', 'subject']));
    const maxBody = input.channel === TemplateChannelEnum.SMS ? 1600 : 20_000;
    if (!input.body.trim() || input.body.length > maxBody) errors.push(userError(UserErrorCode.INVALID, `body must be 1 to ${maxBody} characters`, ['input', 'body']));
    for (const problem of subject ? checkTemplate(input.type, subject) : []) errors.push(userError(UserErrorCode.INVALID, `subject ${problem}`, ['input', 'subject']));
    for (const problem of checkTemplate(input.type, input.body)) errors.push(userError(UserErrorCode.INVALID, `body ${problem}`, ['input', 'body']));
    if (errors.length) return { template: null, userErrors: errors };
    const row = await upsertTemplate(ctx, merchantId, { type: input.type as never, channel: input.channel as never, language: input.language, subject, body: input.body });
    return { template: asEntity(row), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => NotificationTemplateDeletePayload, { description: 'Removes a template; the built-in wording applies again.' })
  async notificationTemplateDelete(@Arg('input', () => NotificationTemplateDeleteInput) input: NotificationTemplateDeleteInput, @Ctx() ctx: Context): Promise<NotificationTemplateDeletePayload> {
    const ok = await deleteTemplate(ctx, shopOf(ctx, 'merchant').merchantId, input.id);
    if (!ok) return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No template with that id in this shop', ['input', 'id'])] };
    return { deletedTemplateId: input.id, userErrors: [] };
  }
}
