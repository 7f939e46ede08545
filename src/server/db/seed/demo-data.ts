// The demo's invented catalogue: Udmurtian clinics, specialties, doctors and their weekly
// hours. Every name, address and phone number here is made up.

export const DEMO_TIME_ZONE = 'Europe/Samara';

export interface DemoOrganisation {
  key: 'izhevsk' | 'sarapul' | 'glazov' | 'votkinsk';
  name: string;
  shortName: string;
  address: string;
  phone: string;
  waitlistAllowed: boolean;
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    key: 'izhevsk',
    name: 'БУЗ УР "Городская поликлиника № 1 МЗ УР"',
    shortName: 'Городская поликлиника № 1',
    address: '426011, Удмуртская Республика, г. Ижевск, ул. Песочная, д. 14',
    phone: '+7 (3412) 00-41-10',
    waitlistAllowed: true,
  },
  {
    key: 'sarapul',
    name: 'БУЗ УР "Сарапульская городская больница МЗ УР"',
    shortName: 'Сарапульская городская больница',
    address: '427960, Удмуртская Республика, г. Сарапул, ул. Лесная, д. 31',
    phone: '+7 (34147) 0-12-30',
    waitlistAllowed: true,
  },
  {
    key: 'glazov',
    name: 'БУЗ УР "Глазовская межрайонная больница МЗ УР"',
    shortName: 'Глазовская межрайонная больница',
    address: '427620, Удмуртская Республика, г. Глазов, ул. Сосновая, д. 7',
    phone: '+7 (34141) 0-25-40',
    waitlistAllowed: true,
  },
  {
    key: 'votkinsk',
    name: 'БУЗ УР "Воткинская городская больница № 1 МЗ УР"',
    shortName: 'Воткинская городская больница № 1',
    address: '427430, Удмуртская Республика, г. Воткинск, ул. Заводская, д. 52',
    phone: '+7 (34145) 0-33-15',
    // This organisation keeps no waitlist: its schedule pages offer no "Встать в очередь".
    waitlistAllowed: false,
  },
];

export interface DemoSpecialty {
  name: string;
  minAge: number | null;
  maxAge: number | null;
  sex: 'M' | 'F' | null;
}

export const DEMO_SPECIALTIES: DemoSpecialty[] = [
  { name: 'терапевт', minAge: 18, maxAge: null, sex: null },
  { name: 'педиатр', minAge: null, maxAge: 18, sex: null },
  { name: 'хирург', minAge: null, maxAge: null, sex: null },
  { name: 'офтальмолог', minAge: null, maxAge: null, sex: null },
  { name: 'оториноларинголог', minAge: null, maxAge: null, sex: null },
  { name: 'невролог', minAge: null, maxAge: null, sex: null },
  { name: 'кардиолог', minAge: null, maxAge: null, sex: null },
  { name: 'эндокринолог', minAge: null, maxAge: null, sex: null },
  { name: 'акушер-гинеколог', minAge: null, maxAge: null, sex: 'F' },
  { name: 'стоматолог', minAge: null, maxAge: null, sex: null },
  { name: 'дерматовенеролог', minAge: null, maxAge: null, sex: null },
  { name: 'уролог', minAge: null, maxAge: null, sex: null },
];

/** Weekly hours: Monday-Friday, optionally a Saturday. */
export interface DemoHours {
  start: string;
  end: string;
  slotMinutes: number;
  breakStart?: string;
  breakEnd?: string;
  saturday?: { start: string; end: string };
}

const MORNING: DemoHours = { start: '08:00', end: '14:00', slotMinutes: 20, breakStart: '11:00', breakEnd: '11:20' };
const MORNING_30: DemoHours = { start: '08:00', end: '13:00', slotMinutes: 30 };
const AFTERNOON: DemoHours = { start: '13:00', end: '19:00', slotMinutes: 20, breakStart: '16:00', breakEnd: '16:20' };
const AFTERNOON_15: DemoHours = { start: '14:00', end: '18:00', slotMinutes: 15 };
const WITH_SATURDAY = (h: DemoHours): DemoHours => ({ ...h, saturday: { start: '09:00', end: '13:00' } });

export interface DemoDoctor {
  org: DemoOrganisation['key'];
  specialty: string;
  lastName: string;
  firstName: string;
  middleName: string;
  room: string;
  hours: DemoHours;
  /**
   * No templates: the clinic's system pushed this doctor's slots and every one inside the
   * horizon is taken, so the schedule page offers the waitlist.
   */
  fullyBooked?: boolean;
}

export const DEMO_DOCTORS: DemoDoctor[] = [
  // Ижевск, Городская поликлиника № 1
  {
    org: 'izhevsk',
    specialty: 'терапевт',
    lastName: 'Кузнецова',
    firstName: 'Татьяна',
    middleName: 'Николаевна',
    room: '104',
    hours: MORNING_30,
    fullyBooked: true,
  },
  {
    org: 'izhevsk',
    specialty: 'терапевт',
    lastName: 'Волков',
    firstName: 'Андрей',
    middleName: 'Геннадьевич',
    room: '106',
    hours: WITH_SATURDAY(MORNING),
  },
  {
    org: 'izhevsk',
    specialty: 'терапевт',
    lastName: 'Шутова',
    firstName: 'Елена',
    middleName: 'Михайловна',
    room: '108',
    hours: AFTERNOON,
  },
  {
    org: 'izhevsk',
    specialty: 'педиатр',
    lastName: 'Перевощикова',
    firstName: 'Ирина',
    middleName: 'Васильевна',
    room: '15',
    hours: MORNING,
  },
  {
    org: 'izhevsk',
    specialty: 'педиатр',
    lastName: 'Бекмеметьев',
    firstName: 'Дмитрий',
    middleName: 'Олегович',
    room: '17',
    hours: AFTERNOON,
  },
  {
    org: 'izhevsk',
    specialty: 'хирург',
    lastName: 'Ложкин',
    firstName: 'Николай',
    middleName: 'Петрович',
    room: '210',
    hours: MORNING_30,
  },
  {
    org: 'izhevsk',
    specialty: 'офтальмолог',
    lastName: 'Корепанова',
    firstName: 'Светлана',
    middleName: 'Анатольевна',
    room: '305',
    hours: MORNING,
  },
  {
    org: 'izhevsk',
    specialty: 'офтальмолог',
    lastName: 'Ившин',
    firstName: 'Сергей',
    middleName: 'Александрович',
    room: '307',
    hours: AFTERNOON_15,
  },
  {
    org: 'izhevsk',
    specialty: 'оториноларинголог',
    lastName: 'Чиркова',
    firstName: 'Марина',
    middleName: 'Юрьевна',
    room: '311',
    hours: AFTERNOON,
  },
  {
    org: 'izhevsk',
    specialty: 'невролог',
    lastName: 'Сунцов',
    firstName: 'Павел',
    middleName: 'Игоревич',
    room: '402',
    hours: MORNING,
  },
  {
    org: 'izhevsk',
    specialty: 'кардиолог',
    lastName: 'Вахрушева',
    firstName: 'Ольга',
    middleName: 'Сергеевна',
    room: '404',
    hours: MORNING_30,
  },
  {
    org: 'izhevsk',
    specialty: 'эндокринолог',
    lastName: 'Максимов',
    firstName: 'Игорь',
    middleName: 'Владимирович',
    room: '406',
    hours: AFTERNOON,
  },
  {
    org: 'izhevsk',
    specialty: 'акушер-гинеколог',
    lastName: 'Бабинцева',
    firstName: 'Наталья',
    middleName: 'Викторовна',
    room: '121',
    hours: WITH_SATURDAY(MORNING),
  },
  {
    org: 'izhevsk',
    specialty: 'стоматолог',
    lastName: 'Трефилов',
    firstName: 'Алексей',
    middleName: 'Романович',
    room: '11',
    hours: MORNING_30,
  },
  {
    org: 'izhevsk',
    specialty: 'дерматовенеролог',
    lastName: 'Князева',
    firstName: 'Юлия',
    middleName: 'Александровна',
    room: '218',
    hours: AFTERNOON_15,
  },
  {
    org: 'izhevsk',
    specialty: 'уролог',
    lastName: 'Белослудцев',
    firstName: 'Виктор',
    middleName: 'Ильич',
    room: '220',
    hours: MORNING,
  },
  {
    org: 'izhevsk',
    specialty: 'невролог',
    lastName: 'Ворончихина',
    firstName: 'Анна',
    middleName: 'Дмитриевна',
    room: '403',
    hours: AFTERNOON,
  },
  // Сарапул
  {
    org: 'sarapul',
    specialty: 'терапевт',
    lastName: 'Дерюгина',
    firstName: 'Людмила',
    middleName: 'Ивановна',
    room: '5',
    hours: MORNING,
  },
  {
    org: 'sarapul',
    specialty: 'терапевт',
    lastName: 'Мальцев',
    firstName: 'Евгений',
    middleName: 'Степанович',
    room: '7',
    hours: WITH_SATURDAY(AFTERNOON),
  },
  {
    org: 'sarapul',
    specialty: 'педиатр',
    lastName: 'Широбокова',
    firstName: 'Галина',
    middleName: 'Федоровна',
    room: '12',
    hours: MORNING,
  },
  {
    org: 'sarapul',
    specialty: 'хирург',
    lastName: 'Гусев',
    firstName: 'Роман',
    middleName: 'Андреевич',
    room: '21',
    hours: AFTERNOON_15,
  },
  {
    org: 'sarapul',
    specialty: 'офтальмолог',
    lastName: 'Пантелеева',
    firstName: 'Вера',
    middleName: 'Константиновна',
    room: '24',
    hours: MORNING_30,
  },
  {
    org: 'sarapul',
    specialty: 'невролог',
    lastName: 'Касимов',
    firstName: 'Ринат',
    middleName: 'Маратович',
    room: '26',
    hours: AFTERNOON,
  },
  {
    org: 'sarapul',
    specialty: 'акушер-гинеколог',
    lastName: 'Сабурова',
    firstName: 'Оксана',
    middleName: 'Петровна',
    room: '30',
    hours: MORNING,
  },
  {
    org: 'sarapul',
    specialty: 'стоматолог',
    lastName: 'Ушаков',
    firstName: 'Кирилл',
    middleName: 'Евгеньевич',
    room: '3',
    hours: MORNING_30,
  },
  // Глазов
  {
    org: 'glazov',
    specialty: 'терапевт',
    lastName: 'Поздеева',
    firstName: 'Надежда',
    middleName: 'Аркадьевна',
    room: '110',
    hours: MORNING,
  },
  {
    org: 'glazov',
    specialty: 'терапевт',
    lastName: 'Ситников',
    firstName: 'Олег',
    middleName: 'Валерьевич',
    room: '112',
    hours: AFTERNOON,
  },
  {
    org: 'glazov',
    specialty: 'педиатр',
    lastName: 'Русинова',
    firstName: 'Екатерина',
    middleName: 'Львовна',
    room: '9',
    hours: WITH_SATURDAY(MORNING),
  },
  {
    org: 'glazov',
    specialty: 'офтальмолог',
    lastName: 'Байтеряков',
    firstName: 'Артём',
    middleName: 'Ильдарович',
    room: '201',
    hours: AFTERNOON_15,
  },
  {
    org: 'glazov',
    specialty: 'оториноларинголог',
    lastName: 'Наговицына',
    firstName: 'Лариса',
    middleName: 'Борисовна',
    room: '203',
    hours: MORNING_30,
  },
  // Воткинск (no waitlist)
  {
    org: 'votkinsk',
    specialty: 'терапевт',
    lastName: 'Зорина',
    firstName: 'Мария',
    middleName: 'Алексеевна',
    room: '14',
    hours: MORNING,
  },
  {
    org: 'votkinsk',
    specialty: 'педиатр',
    lastName: 'Лебедев',
    firstName: 'Станислав',
    middleName: 'Юрьевич',
    room: '16',
    hours: AFTERNOON,
  },
  {
    org: 'votkinsk',
    specialty: 'хирург',
    lastName: 'Чернышёв',
    firstName: 'Владислав',
    middleName: 'Николаевич',
    room: '22',
    hours: MORNING_30,
  },
  {
    org: 'votkinsk',
    specialty: 'кардиолог',
    lastName: 'Тронина',
    firstName: 'Алла',
    middleName: 'Георгиевна',
    room: '25',
    hours: AFTERNOON,
  },
];

/** Invented people who fill the schedules so they look real (booked at the registry, infomat ...). */
export const FILLER_PEOPLE: { lastName: string; firstName: string; middleName: string; sex: 'M' | 'F'; age: number }[] =
  [
    { lastName: 'Иванов', firstName: 'Сергей', middleName: 'Петрович', sex: 'M', age: 64 },
    { lastName: 'Смирнова', firstName: 'Ольга', middleName: 'Ивановна', sex: 'F', age: 52 },
    { lastName: 'Кузьмин', firstName: 'Алексей', middleName: 'Андреевич', sex: 'M', age: 38 },
    { lastName: 'Попова', firstName: 'Елена', middleName: 'Сергеевна', sex: 'F', age: 29 },
    { lastName: 'Васильев', firstName: 'Денис', middleName: 'Олегович', sex: 'M', age: 45 },
    { lastName: 'Петрова', firstName: 'Татьяна', middleName: 'Викторовна', sex: 'F', age: 71 },
    { lastName: 'Соколов', firstName: 'Игорь', middleName: 'Николаевич', sex: 'M', age: 57 },
    { lastName: 'Михайлова', firstName: 'Наталья', middleName: 'Павловна', sex: 'F', age: 41 },
    { lastName: 'Новиков', firstName: 'Артём', middleName: 'Денисович', sex: 'M', age: 8 },
    { lastName: 'Федорова', firstName: 'Дарья', middleName: 'Игоревна', sex: 'F', age: 12 },
    { lastName: 'Морозов', firstName: 'Виктор', middleName: 'Степанович', sex: 'M', age: 68 },
    { lastName: 'Волкова', firstName: 'Ирина', middleName: 'Александровна', sex: 'F', age: 34 },
    { lastName: 'Алексеев', firstName: 'Максим', middleName: 'Ильич', sex: 'M', age: 5 },
    { lastName: 'Лебедева', firstName: 'Светлана', middleName: 'Юрьевна', sex: 'F', age: 47 },
    { lastName: 'Семёнов', firstName: 'Павел', middleName: 'Геннадьевич', sex: 'M', age: 33 },
    { lastName: 'Егорова', firstName: 'Анастасия', middleName: 'Дмитриевна', sex: 'F', age: 15 },
    { lastName: 'Павлов', firstName: 'Николай', middleName: 'Васильевич', sex: 'M', age: 76 },
    { lastName: 'Козлова', firstName: 'Марина', middleName: 'Олеговна', sex: 'F', age: 60 },
    { lastName: 'Степанов', firstName: 'Егор', middleName: 'Романович', sex: 'M', age: 10 },
    { lastName: 'Николаева', firstName: 'Валентина', middleName: 'Петровна', sex: 'F', age: 80 },
    { lastName: 'Орлов', firstName: 'Роман', middleName: 'Сергеевич', sex: 'M', age: 26 },
    { lastName: 'Андреева', firstName: 'Ксения', middleName: 'Михайловна', sex: 'F', age: 3 },
    { lastName: 'Макаров', firstName: 'Владимир', middleName: 'Иванович', sex: 'M', age: 50 },
    { lastName: 'Захарова', firstName: 'Людмила', middleName: 'Анатольевна', sex: 'F', age: 66 },
    { lastName: 'Зайцев', firstName: 'Кирилл', middleName: 'Андреевич', sex: 'M', age: 17 },
    { lastName: 'Соловьёва', firstName: 'Полина', middleName: 'Евгеньевна', sex: 'F', age: 23 },
    { lastName: 'Борисов', firstName: 'Григорий', middleName: 'Львович', sex: 'M', age: 59 },
    { lastName: 'Яковлева', firstName: 'Алина', middleName: 'Ринатовна', sex: 'F', age: 9 },
    { lastName: 'Григорьев', firstName: 'Станислав', middleName: 'Витальевич', sex: 'M', age: 43 },
    { lastName: 'Романова', firstName: 'Вера', middleName: 'Николаевна', sex: 'F', age: 37 },
    { lastName: 'Воробьёв', firstName: 'Фёдор', middleName: 'Максимович', sex: 'M', age: 2 },
    { lastName: 'Сергеева', firstName: 'Юлия', middleName: 'Викторовна', sex: 'F', age: 55 },
    { lastName: 'Кузнецов', firstName: 'Аркадий', middleName: 'Борисович', sex: 'M', age: 72 },
    { lastName: 'Фролова', firstName: 'Евгения', middleName: 'Аркадьевна', sex: 'F', age: 31 },
    { lastName: 'Александров', firstName: 'Илья', middleName: 'Петрович', sex: 'M', age: 14 },
    { lastName: 'Дмитриева', firstName: 'Маргарита', middleName: 'Сергеевна', sex: 'F', age: 48 },
    { lastName: 'Королёв', firstName: 'Тимофей', middleName: 'Ильич', sex: 'M', age: 39 },
    { lastName: 'Гусева', firstName: 'Лидия', middleName: 'Фёдоровна', sex: 'F', age: 63 },
    { lastName: 'Киселёв', firstName: 'Арсений', middleName: 'Олегович', sex: 'M', age: 6 },
    { lastName: 'Ильина', firstName: 'Зоя', middleName: 'Григорьевна', sex: 'F', age: 84 },
    { lastName: 'Максимов', firstName: 'Глеб', middleName: 'Дмитриевич', sex: 'M', age: 21 },
    { lastName: 'Полякова', firstName: 'Софья', middleName: 'Андреевна', sex: 'F', age: 11 },
    { lastName: 'Сорокин', firstName: 'Леонид', middleName: 'Семёнович', sex: 'M', age: 61 },
    { lastName: 'Виноградова', firstName: 'Раиса', middleName: 'Ивановна', sex: 'F', age: 74 },
    { lastName: 'Ковалёв', firstName: 'Даниил', middleName: 'Романович', sex: 'M', age: 16 },
    { lastName: 'Белова', firstName: 'Кристина', middleName: 'Павловна', sex: 'F', age: 27 },
    { lastName: 'Медведев', firstName: 'Юрий', middleName: 'Константинович', sex: 'M', age: 53 },
    { lastName: 'Антонова', firstName: 'Галина', middleName: 'Семёновна', sex: 'F', age: 69 },
  ];
