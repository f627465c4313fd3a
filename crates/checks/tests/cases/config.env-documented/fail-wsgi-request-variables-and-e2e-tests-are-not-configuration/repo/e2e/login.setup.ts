const user = process.env.USERNAME1!;
const password = process.env.PASSWORD!;
