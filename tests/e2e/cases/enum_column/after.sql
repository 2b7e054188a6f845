SELECT status FROM users ORDER BY id;
