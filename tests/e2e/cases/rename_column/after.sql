SELECT full_name FROM users ORDER BY id;
