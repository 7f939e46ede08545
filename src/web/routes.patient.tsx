// Routes of the patient's journeys: sign-up and login, the card file, booking, schedules.
import { Route } from 'react-router';

export const patientRoutes = <></>;
