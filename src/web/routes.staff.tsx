// Routes of staff pages: moderation, operator settings, the development mailbox.
import { Route } from 'react-router';

export const staffRoutes = <></>;
