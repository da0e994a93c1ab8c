import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { CommonEnv } from './common-env';

export const STORE_KINDS = ['sqlite', 'meilisearch'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Variables of the apps that use the session store (PROTOCOL section 4). */
export class StoreEnv extends CommonEnv {
  @IsIn(STORE_KINDS, { message: `must be one of ${STORE_KINDS.join(', ')}` })
  STORE: StoreKind = 'sqlite';

  @IsString()
  SQLITE_PATH: string = './data/sessions.db';

  @ValidateIf((env: StoreEnv) => env.STORE === 'meilisearch')
  @IsString({ message: 'is required when STORE=meilisearch' })
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  MEILI_URL?: string = undefined;

  @IsOptional()
  @IsString()
  MEILI_MASTER_KEY?: string = undefined;
}
