import { StoreEnv } from '@sg/platform';
import { IsDefined, IsString, MinLength } from 'class-validator';

/** admin-search's environment (PROTOCOL sections 3 and 4; docs/configuration.md). */
export class AdminSearchEnv extends StoreEnv {
  override PORT: number = 8082;

  // required: the admin API never answers without its key
  @IsDefined({ message: 'is required' })
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  ADMIN_API_KEY?: string = undefined;
}
