INSERT INTO users (id, email, fullname) VALUES (1, 'a@x.io', 'Ann'), (2, 'b@x.io', 'Bob');
