SELECT email FROM accounts ORDER BY id;
