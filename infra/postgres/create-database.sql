-- psql -U postgres -f create-database.sql  (change the password)
CREATE ROLE huuco LOGIN PASSWORD 'change-me';
CREATE DATABASE huuco OWNER huuco ENCODING 'UTF8' TEMPLATE template0;
