INSERT INTO users (id, email, city, age) VALUES (1, 'a@x.io', 'Oslo', 3);
