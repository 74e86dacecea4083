// The demo shop's typed tags: featureTag() and verifyDetails() accept only ids of its feature registry (a typo is a compile error).
import { profileTags } from '../../fixtures/tags.ts';
import { appConfig } from './aftercheck.config.ts';

export const { featureTag, verifyDetails, tags } = profileTags(appConfig, 'demo-shop');
